"""Cards for onboarding and exploring: welcome, team introduction, help, topics, feedback buttons.

Built as objects like `bot.cards`, at Adaptive Cards 1.5. Feedback uses Action.Execute (the card
is replaced in place by the invoke response) with an Action.Submit fallback for older clients.
"""

from __future__ import annotations

from bot import engagement_texts as texts
from bot.card_base import Card, CardSettings, Outbound, adaptive_card, entry_choices, show_entry_action, text_block
from bot.engagement import (
    MAX_MISSING_CHARS,
    EngagementReply,
    Help,
    TeamIntro,
    Topics,
    Welcome,
)
from bot.privacy import privacy_note
from bot.replies import Vote
from bot.submits import ASKED_ID_KEY, COMMAND_ACTION, FEEDBACK_ACTION, FEEDBACK_VERB
from bot.texts import ASK_HR_DIRECT, HR_DIRECT_NO_ROUTE
from knowledge import Entry


def render_engagement(reply: EngagementReply, settings: CardSettings) -> Outbound:
    """The message for a welcome, introduction, help or topics reply."""
    match reply:
        case Welcome():
            return _welcome(reply, settings)
        case TeamIntro():
            return Outbound(summary=texts.TEAM_INTRO, text=texts.TEAM_INTRO)
        case Help():
            return _help(reply, settings)
        case Topics():
            return _topics(reply)


def feedback_block(entry: Entry, vote: Vote | None, question_id: str | None = None) -> list[Card]:
    """The 👍/👎 question under an answer; after a vote, the thanks and a way to change it.

    The vote given is marked on its own button (a tick, and the host's emphasised "positive" style), so
    the two buttons never look alike after a vote. Both still carry the entry id.
    """
    heading = texts.FEEDBACK_PROMPT if vote is None else f"{texts.FEEDBACK_THANKS[vote.value]} {texts.FEEDBACK_CHANGE}"
    down_card = {
        "type": "AdaptiveCard",
        "body": [
            {
                "type": "Input.Text",
                "id": "missing",
                "label": texts.FEEDBACK_MISSING_LABEL,
                "isMultiline": True,
                "maxLength": MAX_MISSING_CHARS,
            }
        ],
        "actions": [_feedback_action(entry, Vote.DOWN, texts.FEEDBACK_SEND, question_id)],
    }
    up = _marked(_feedback_action(entry, Vote.UP, texts.FEEDBACK_UP, question_id), chosen=vote is Vote.UP)
    down = _marked(
        {"type": "Action.ShowCard", "title": texts.FEEDBACK_DOWN, "card": down_card}, chosen=vote is Vote.DOWN
    )
    return [
        text_block(heading, spacing="Medium", separator=True, isSubtle=vote is not None, id="feedback"),
        {"type": "ActionSet", "actions": [up, down]},
    ]


def _marked(action: Card, *, chosen: bool) -> Card:
    if not chosen:
        return action
    title = f"{texts.FEEDBACK_CHOSEN_MARK}{action['title']}"
    marked = {**action, "title": title, "style": "positive"}
    if "fallback" in action:
        marked["fallback"] = {**action["fallback"], "title": title, "style": "positive"}
    return marked


def _feedback_action(entry: Entry, vote: Vote, title: str, question_id: str | None) -> Card:
    data = {"action": FEEDBACK_ACTION, "entry": entry.id, "vote": vote.value}
    if question_id is not None:
        data[ASKED_ID_KEY] = question_id
    return {
        "type": "Action.Execute",
        "title": title,
        "verb": FEEDBACK_VERB,
        "data": data,
        "fallback": {"type": "Action.Submit", "title": title, "data": data},
    }


def _command_button(title: str, command: str) -> Card:
    return {
        "type": "Action.Submit",
        "title": title,
        "data": {"action": COMMAND_ACTION, "command": command},
    }


def _hr_direct(settings: CardSettings) -> tuple[list[Card], list[Card]]:
    fill = settings.organisation.fill
    if settings.hr_direct_url:
        return [], [{"type": "Action.OpenUrl", "title": fill(ASK_HR_DIRECT), "url": settings.hr_direct_url}]
    return [text_block(fill(HR_DIRECT_NO_ROUTE), isSubtle=True, spacing="None")], []


def _welcome(reply: Welcome, settings: CardSettings) -> Outbound:
    note, actions = _hr_direct(settings)
    fill = settings.organisation.fill
    intro, privacy = fill(texts.WELCOME_INTRO), privacy_note(settings.organisation, settings.retention)
    body: list[Card] = [
        text_block(texts.WELCOME_TITLE, size="Large", weight="Bolder", style="heading"),
        text_block(intro),
        text_block(texts.WELCOME_TRY, weight="Bolder", spacing="Medium"),
        *entry_choices(reply.examples),
        text_block(texts.WELCOME_BROWSE, spacing="Medium"),
        text_block(fill(texts.WELCOME_HR_DIRECT)),
        *note,
        text_block(privacy, size="Small", isSubtle=True, spacing="Medium", separator=True),
    ]
    examples = "\n".join(f"- {e.question}" for e in reply.examples)
    fallback = f"{texts.WELCOME_TITLE}\n\n{intro}\n\n{examples}\n\n{privacy}"
    return Outbound(summary=texts.WELCOME_TITLE, card=adaptive_card(body, actions, fallback))


def _help(reply: Help, settings: CardSettings) -> Outbound:
    note, actions = _hr_direct(settings)
    fill = settings.organisation.fill
    intro = fill(texts.HELP_INTRO)
    listing = [(fill(name), fill(what)) for name, what in texts.HELP_COMMANDS]
    commands = {
        "type": "FactSet",
        "facts": [{"title": name, "value": what} for name, what in listing],
    }
    body: list[Card] = [
        text_block(texts.HELP_TITLE, size="Medium", weight="Bolder", style="heading"),
        text_block(intro),
        text_block(texts.HELP_COMMANDS_TITLE, weight="Bolder", spacing="Medium"),
        commands,
        text_block(texts.HELP_EXAMPLES, weight="Bolder", spacing="Medium"),
        *entry_choices(reply.examples),
        *note,
        text_block(
            privacy_note(settings.organisation, settings.retention),
            size="Small",
            isSubtle=True,
            spacing="Medium",
            separator=True,
        ),
    ]
    listed = "\n".join(f"- {name}: {what}" for name, what in listing)
    fallback = f"{intro}\n\n{texts.HELP_COMMANDS_TITLE}:\n{listed}"
    return Outbound(
        summary=texts.HELP_TITLE,
        card=adaptive_card(body, [_command_button(texts.BROWSE_TOPICS, "topics"), *actions], fallback),
    )


def _topics(reply: Topics) -> Outbound:
    body: list[Card] = [
        text_block(texts.TOPICS_TITLE, size="Medium", weight="Bolder", style="heading"),
        text_block(texts.TOPICS_INTRO, isSubtle=True, spacing="None"),
    ]
    several = len(reply.documents) > 1
    document = None
    for group in reply.groups:
        if several and group.document != document:
            document = group.document
            body.append(text_block(document, size="Medium", weight="Bolder", spacing="Large", separator=True))
        body.append(text_block(group.title, weight="Bolder", spacing="Medium", separator=not several))
        body.extend(
            {
                "type": "Container",
                "spacing": "Small",
                "selectAction": show_entry_action(entry),
                "items": [text_block(f"› {entry.question}", color="Accent")],
            }
            for entry in group.entries
        )
    lines = "\n".join(
        f"{f'{group.document} – ' if several else ''}{group.title}:\n"
        + "\n".join(f"- {e.question}" for e in group.entries)
        for group in reply.groups
    )
    return Outbound(summary=texts.TOPICS_TITLE, card=adaptive_card(body, [], f"{texts.TOPICS_TITLE}\n\n{lines}"))
