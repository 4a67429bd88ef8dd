"""Every sentence of the helpdesk ticket flow, in one place so HR can review the tone (filled in by
`Organisation.fill`, like `bot.texts`)."""

SHORTENED = " … (shortened: the full text is kept with the ticket)"

# Staff side
FORM_TITLE = "Ask {helpdesk}"
FORM_INTRO = (
    "{helpdesk}, the HR helpdesk, will read your question and reply here in this chat. "
    "Please don't include other people's personal details."
)
FORM_QUESTION = "Your question"
FORM_QUESTION_NEEDED = "Please type your question."
FORM_DETAILS = "Details (optional)"
FORM_DETAILS_HINT = "Anything that helps {helpdesk} answer, e.g. your role or the dates involved"
FORM_IDENTITY = "Who should {helpdesk} see this is from?"
SHARE_NAME = "Share my name with {helpdesk}"
ANONYMOUS = "Ask anonymously ({helpdesk} won't see who you are; I'll still pass on their answer)"
SEND = "Send to {helpdesk}"
CONFIRMED = (
    "Thanks, your question is with {helpdesk}. Your reference is {reference}. "
    "They'll reply here in this chat, and I'll let you know when "
    'it is picked up or resolved. Type "my requests" to see your requests.'
)
ALREADY_SENT = "You've already sent this question to {helpdesk}: your reference is {reference}. Nothing else to do."
QUESTION_NEEDED = "Please type your question for {helpdesk} in the form and send it again."
PRIVATE_ONLY = "To ask {helpdesk}, please message me in a 1:1 chat so your question stays private."
NO_CHANNEL = (
    "{helpdesk} isn't set up to receive questions through me yet. You can contact {helpdesk} "
    "through the usual {helpdesk} channels."
)
MY_REQUESTS = "Your requests to {helpdesk}:"
NO_REQUESTS = 'You haven\'t sent any questions to {helpdesk} through me yet. Type "ask {helpdesk}" to ask one.'
ANSWER_HEADING = "{helpdesk} answered your question {reference}"
YOUR_QUESTION = "Your question"
ANSWER_FOOTER = 'If you still need help, type "ask {helpdesk}" to ask again, quoting your reference.'
STATUS_NOTICES = {
    "assigned": "{reference}: {helpdesk} has picked up your question.",
    "resolved": "{reference}: {helpdesk} has marked your question as resolved.",
    "reopened": "{reference}: {helpdesk} has reopened your question and will come back to you.",
    "changed": "{reference}: your question to {helpdesk} has been updated.",
    "undelivered": (
        "{reference}: your question hasn't reached {helpdesk} yet. I'm retrying and will pass it on "
        "as soon as I can. If it's urgent, please contact {helpdesk} directly through their usual "
        "channels, quoting {reference}."
    ),
}
STATUS_OPEN = "Open"
STATUS_ASSIGNED = "Assigned"
STATUS_RESOLVED = "Resolved"
NOT_DELIVERED = "not delivered to {helpdesk} yet: retrying"

# Helpdesk side
QUESTION = "Question"
DETAILS = "Details"
REQUESTER = "Requester"
ANONYMOUS_REQUESTER = "Anonymous"
UNNAMED = "(name not available)"
ASKED = "Asked"
STATUS = "Status"
ASSIGNED_TO = "Assigned to"
BEST_GUESS = "Bot's best guess"
NO_GUESS = "none (nothing in the FAQ was close)"
HR_REPLY = "Reply sent"
HISTORY = "History"
EVENTS = {
    "created": "Received",
    "assigned": "Assigned to",
    "replied": "Reply sent",
    "resolved": "Resolved",
    "reopened": "Reopened",
    "suggested_as_faq": "Suggested as FAQ",
}
SUGGESTED = "Suggested as an FAQ: waiting for curators to review."
ASSIGN_ME = "Assign to me"
ASSIGN_TO = "Assign to…"
COLLEAGUE = "Colleague's name"
COLLEAGUE_NEEDED = "Please type a colleague's name."
ASSIGN = "Assign"
REPLY = "Reply"
REPLY_LABEL = "Your reply (sent to the staff member by the bot)"
REPLY_NEEDED = "Please type a reply."
SEND_REPLY = "Send reply"
RESOLVE = "Resolve"
REOPEN = "Reopen"
SUGGEST_FAQ = "Suggest as FAQ"
NOT_AVAILABLE = "Sorry, that button is no longer available."
REGISTERED = "This channel is now the {helpdesk} channel: new questions from staff will appear here."
REGISTER_CONFIGURED = (
    "The {helpdesk} channel is set in the bot's configuration (FAQBOT_HR_CHANNEL_ID), so it can't be changed here."
)
REGISTER_REFUSED = (
    "Only the people named in the bot's configuration (FAQBOT_HR_REGISTRARS) can register the {helpdesk} channel."
)
REGISTER_CHANNEL_ONLY = 'Type "register this channel" in the channel {helpdesk} will work in, mentioning me.'
DRAFTS_HEADING = "FAQ drafts waiting for review:"
NO_DRAFTS = "There are no FAQ drafts waiting for review."
