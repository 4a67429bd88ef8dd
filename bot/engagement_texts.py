"""What the bot says when it welcomes, helps, lists topics and thanks for feedback (filled in by
`Organisation.fill`, like `bot.texts`)."""

WELCOME_TITLE = "Welcome to HR Policy FAQ"
WELCOME_INTRO = (
    "I answer questions about {organisation_short} HR policies with HR's approved answers, and tell you which "
    "policy each answer comes from. Ask in your own words."
)
WELCOME_TRY = "Try one of these:"
WELCOME_BROWSE = "Type **topics** to see everything I can answer, or **help** for my commands."
WELCOME_HR_DIRECT = "If I can't answer, {helpdesk} (the HR helpdesk) can: just say **ask {helpdesk}**."

TEAM_INTRO = (
    "Hello, I'm HR Policy FAQ. Mention me with an HR policy question, for example "
    "\"@HR Policy FAQ can I use WhatsApp for work?\", and I'll reply with HR's approved answer. "
    "For anything personal, chat with me privately."
)

HELP_TITLE = "What I can do"
HELP_INTRO = (
    "Ask an HR policy question in your own words. I reply with HR's approved answer, word for word, "
    "and its policy reference. If I'm not sure, I won't guess: I'll offer {helpdesk} instead."
)
HELP_COMMANDS_TITLE = "Commands"
HELP_COMMANDS = (
    ("help", "what I can do"),
    ("topics", "browse every question I can answer, by topic"),
    ("ask {helpdesk}", "send your question to the HR helpdesk"),
    ("my requests", "see the questions you have sent to {helpdesk}"),
)
HELP_EXAMPLES = "For example:"
BROWSE_TOPICS = "Browse topics"

TOPICS_TITLE = "Browse by topic"
TOPICS_INTRO = "Choose a question to see HR's approved answer."

FEEDBACK_PROMPT = "Did this answer help?"
FEEDBACK_UP = "👍 Yes"
FEEDBACK_DOWN = "👎 No"
FEEDBACK_MISSING_LABEL = "What was missing? (optional, please no personal details)"
FEEDBACK_SEND = "Send feedback"
FEEDBACK_THANKS = {
    "up": "Thanks for your feedback: you said this answer helped.",
    "down": "Thanks for your feedback: you said this answer didn't help. HR will use it to improve the answers.",
}
FEEDBACK_CHANGE = "Changed your mind? Choose again:"
FEEDBACK_CHOSEN_MARK = "✓ "  # before the title of the button this person chose
