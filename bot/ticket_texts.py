"""Every sentence of the HR Direct ticket flow, in one place so HR can review the tone."""

SHORTENED = " … (shortened: the full text is kept with the ticket)"

# Staff side
FORM_TITLE = "Ask HR Direct"
FORM_INTRO = (
    "HR Direct, the HR helpdesk, will read your question and reply here in this chat. "
    "Please don't include other people's personal details."
)
FORM_QUESTION = "Your question"
FORM_QUESTION_NEEDED = "Please type your question."
FORM_DETAILS = "Details (optional)"
FORM_DETAILS_HINT = "Anything that helps HR Direct answer, e.g. your role or the dates involved"
FORM_IDENTITY = "Who should HR Direct see this is from?"
SHARE_NAME = "Share my name with HR Direct"
ANONYMOUS = "Ask anonymously (HR Direct won't see who you are; I'll still pass on their answer)"
SEND = "Send to HR Direct"
CONFIRMED = (
    "Thanks, your question is with HR Direct. Your reference is {reference}. "
    "They'll reply here in this chat, and I'll let you know when "
    "it is picked up or resolved. Type \"my requests\" to see your requests."
)
ALREADY_SENT = "You've already sent this question to HR Direct: your reference is {reference}. Nothing else to do."
QUESTION_NEEDED = "Please type your question for HR Direct in the form and send it again."
PRIVATE_ONLY = "To ask HR Direct, please message me in a 1:1 chat so your question stays private."
NO_CHANNEL = (
    "HR Direct isn't set up to receive questions through me yet. You can contact HR Direct "
    "through the usual HR Direct channels."
)
MY_REQUESTS = "Your requests to HR Direct:"
NO_REQUESTS = "You haven't sent any questions to HR Direct through me yet. Type \"ask hr direct\" to ask one."
ANSWER_HEADING = "HR Direct answered your question {reference}"
YOUR_QUESTION = "Your question"
ANSWER_FOOTER = "If you still need help, type \"ask hr direct\" to ask again, quoting your reference."
STATUS_NOTICES = {
    "assigned": "{reference}: HR Direct has picked up your question.",
    "resolved": "{reference}: HR Direct has marked your question as resolved.",
    "reopened": "{reference}: HR Direct has reopened your question and will come back to you.",
    "changed": "{reference}: your question to HR Direct has been updated.",
}
STATUS_OPEN = "Open"
STATUS_ASSIGNED = "Assigned"
STATUS_RESOLVED = "Resolved"

# HR Direct side
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
REGISTERED = "This channel is now the HR Direct channel: new questions from staff will appear here."
REGISTER_CONFIGURED = "The HR Direct channel is set in the bot's configuration (FAQBOT_HR_CHANNEL_ID), so it can't be changed here."
REGISTER_REFUSED = "Only the people named in the bot's configuration (FAQBOT_HR_REGISTRARS) can register the HR Direct channel."
REGISTER_CHANNEL_ONLY = "Type \"register this channel\" in the channel HR Direct will work in, mentioning me."
DRAFTS_HEADING = "FAQ drafts waiting for review:"
NO_DRAFTS = "There are no FAQ drafts waiting for review."
