"""Every sentence the bot says to staff, in one place so HR can review the tone.

`{organisation}`, `{organisation_short}` and `{helpdesk}` are filled in by `Organisation.fill`.
"""

BOT_NAME = "HR Policy FAQ"

# "Did you mean": one offer, the close questions first and the helpdesk for when none fits.
DID_YOU_MEAN = "I'm not sure which approved answer fits your question, so I won't guess. Did you mean one of these?"
AMBIGUOUS = "Your question could match more than one approved answer. Which did you mean?"
NONE_OF_THESE = "If none of these is what you asked, {helpdesk}, the HR helpdesk, can help."
NO_ANSWER = "Sorry, I don't have an approved answer for that. {helpdesk}, the HR helpdesk, can help."
ASK_HR_DIRECT = "Ask {helpdesk}"
STILL_NEED_HELP = "Still need help?"
HR_DIRECT_NO_ROUTE = "You can contact {helpdesk} through the usual {helpdesk} channels."
RELATED = "Related questions"
REFERENCE = "Policy reference"
OWNER = "Owner"
LAST_REVIEWED = "Last reviewed"

SMALL_TALK = {
    "greeting": "Hello! Ask me a question about HR policy, for example about social media or WhatsApp at work.",
    "thanks": "You're welcome. Ask me anything else about HR policy whenever you like.",
    "goodbye": "Goodbye, and thanks for using the HR Policy FAQ.",
    "help": (
        "I answer HR policy questions with HR's approved answers and tell you which policy each "
        "answer comes from. Type your question in your own words, for example "
        "\"Can I have TikTok on my work phone?\". If I can't answer, I'll offer to pass it to {helpdesk}."
    ),
    "acknowledgement": "OK. Ask me another HR policy question whenever you like.",
}

NOTICES = {
    "empty": "I didn't catch a question there. Type your HR policy question and I'll look it up.",
    "no_words": "I can only read written questions. Please type your question in words.",
    "too_long": (
        "That's a long message. Please ask one short question at a time, or ask {helpdesk} "
        "if you need to explain your situation in detail."
    ),
    "unknown_action": "Sorry, that button is no longer available. Please type your question instead.",
}

SLOW_DOWN = (
    "You're sending messages faster than I can answer them, so I skipped some. "
    "Please send one question at a time and wait for my reply."
)
TURN_ERROR = "Sorry, something went wrong on my side. Please try again in a moment."
