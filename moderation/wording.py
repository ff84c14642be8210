"""What moderators and authors read: why a post was turned down, what screening found,
what a flag says, the queue's priorities, why something looks identifying and what
safeguarding did. All translated; codes are what the database keeps."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from moderation.models import EscalationOutcome, FlagReason, Priority


@dataclass(frozen=True)
class RejectionReason:
    code: str
    label: object  # lazy string
    explanation: object  # what the author reads, in plain words


REJECTION_REASONS: tuple[RejectionReason, ...] = (
    RejectionReason(
        "identifying",
        _l("Could show who someone is"),
        _l(
            "Your post could show who you or someone else is. Leave out names, schools, "
            "places, usernames and contact details, then send it again."
        ),
    ),
    RejectionReason(
        "hurtful",
        _l("Could hurt someone"),
        _l("Your post could hurt or put someone down. Say it in a kinder way and send it again."),
    ),
    RejectionReason(
        "unsafe",
        _l("Risky advice"),
        _l("Your post gives advice that could be risky for someone's health or safety."),
    ),
    RejectionReason(
        "unclear",
        _l("Hard to understand"),
        _l("We couldn't tell what you mean. Try to say it in another way and send it again."),
    ),
    RejectionReason(
        "spam",
        _l("Advert or spam"),
        _l("Your post looks like an advert or spam."),
    ),
    RejectionReason(
        "other",
        _l("Something else"),
        _l("A moderator stopped your post. Read their note below."),
    ),
)
REASONS_BY_CODE = {reason.code: reason for reason in REJECTION_REASONS}

# What moderators read for each screening code and flag reason.
REASON_LABELS: dict[str, object] = {
    "risk.suicide": _l("Crisis words: suicide"),
    "risk.self_harm": _l("Crisis words: self-harm"),
    "risk.abuse": _l("Crisis words: abuse or violence"),
    "risk.grooming": _l("Crisis words: grooming or sexual exploitation"),
    "risk.eating_disorder": _l("Crisis words: eating disorder"),
    "identifying.phone": _l("Phone number"),
    "identifying.email": _l("E-mail address"),
    "identifying.id_number": _l("ID number"),
    "identifying.handle": _l("Username on another app"),
    "identifying.link": _l("Link"),
    "identifying.address": _l("Street address"),
    "identifying.name": _l("Real name"),
    "identifying.school": _l("School or class"),
    "spam.link_new_account": _l("Spam suspect: link from a new account"),
    "spam.repeated": _l("Spam suspect: the same text again"),
    "spam.too_fast": _l("Spam suspect: faster than anyone types"),
}
FLAG_LABELS: dict[FlagReason, object] = {
    FlagReason.SPAM: _l("It's spam or an advert"),
    FlagReason.HURTFUL: _l("It's hurtful or mean"),
    FlagReason.PERSONAL_INFO: _l("It shares personal information"),
    FlagReason.WORRIED: _l("I'm worried about the person who wrote it"),
    FlagReason.OTHER: _l("Something else"),
}
PRIORITY_LABELS: dict[int, object] = {
    Priority.RISK: _l("Risk"),
    Priority.IDENTIFYING: _l("Could show who someone is"),
    Priority.FLAGGED: _l("Flagged"),
    Priority.ROUTINE: _l("Everything else"),
}
# Why each kind of identifying information matters, for the author (plain words).
IDENTIFYING_WHY: dict[str, object] = {
    "phone": _l(
        "looks like a phone number. Anyone who reads it could call or text you, "
        "or find out who you are."
    ),
    "email": _l(
        "looks like an e-mail address. Strangers could write to you, and it often shows "
        "your real name."
    ),
    "id_number": _l("looks like a personal ID number. Never share it online."),
    "handle": _l(
        "looks like a username or an invitation to talk on another app. People could find "
        "you there, where no moderator can help."
    ),
    "link": _l("is a link. Links can lead to a profile or a page that shows who you are."),
    "address": _l("looks like an address. It can show where you live or spend your time."),
    "name": _l("looks like a real name. A name makes it easy to find out who someone is."),
    "school": _l(
        "looks like the name of a school or a class. People who know it could work out who you are."
    ),
}
ESCALATION_OUTCOMES: dict[EscalationOutcome, object] = {
    EscalationOutcome.CONTACTED: _l("We reached out to them"),
    EscalationOutcome.SIGNPOSTED: _l("We gave them helplines"),
    EscalationOutcome.REFERRED: _l("We passed it on (emergency services or child protection)"),
    EscalationOutcome.NO_ACTION: _l("No action needed"),
}


def reason_label(code: str) -> str:
    label = REASON_LABELS.get(code)
    return str(label) if label is not None else code
