"""Mail templates: a subject, a plain-text body and an HTML body each.

Values are escaped for the HTML body; templates use `$name` placeholders.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from string import Template


@dataclass(frozen=True)
class MailTemplate:
    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str


_LAYOUT = (
    '<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">'
    '$content<p style="color:#888;font-size:12px">Voice Agents</p></body></html>'
)

TEMPLATES: dict[str, MailTemplate] = {
    "email_verification": MailTemplate(
        subject="Confirm your email address",
        text=(
            "Hello $full_name,\n\nConfirm your email address by opening this link:\n$link\n\n"
            "The link works once and expires in $expires_in.\n"
            "If you did not create an account, ignore this message.\n"
        ),
        html=(
            '<p>Hello $full_name,</p><p><a href="$link">Confirm your email address</a>.</p>'
            "<p>The link works once and expires in $expires_in.</p>"
            "<p>If you did not create an account, ignore this message.</p>"
        ),
    ),
    "password_reset": MailTemplate(
        subject="Reset your password",
        text=(
            "Hello $full_name,\n\nChoose a new password by opening this link:\n$link\n\n"
            "The link works once and expires in $expires_in. Resetting signs you out everywhere.\n"
            "If you did not ask for this, ignore this message; your password stays as it is.\n"
        ),
        html=(
            '<p>Hello $full_name,</p><p><a href="$link">Choose a new password</a>.</p>'
            "<p>The link works once and expires in $expires_in. Resetting signs you out "
            "everywhere.</p><p>If you did not ask for this, ignore this message.</p>"
        ),
    ),
    "sign_up_notice": MailTemplate(
        subject="Someone tried to create an account with your address",
        text=(
            "Hello $full_name,\n\nSomeone tried to create an account with this email address, "
            "which already has one. Nothing was changed.\n\nIf it was you, sign in here:\n"
            "$sign_in_link\n\nForgot your password? Choose a new one here:\n$reset_link\n\n"
            "If it was not you, ignore this message.\n"
        ),
        html=(
            "<p>Hello $full_name,</p><p>Someone tried to create an account with this email "
            "address, which already has one. Nothing was changed.</p>"
            '<p>If it was you, <a href="$sign_in_link">sign in</a>, or '
            '<a href="$reset_link">choose a new password</a> if you forgot it.</p>'
            "<p>If it was not you, ignore this message.</p>"
        ),
    ),
    "invitation": MailTemplate(
        subject="$inviter invited you to $organization",
        text=(
            "Hello,\n\n$inviter invited you to join $organization on Voice Agents as $role.\n"
            "Accept the invitation here:\n$link\n\nThe invitation expires in $expires_in.\n"
        ),
        html=(
            "<p>Hello,</p><p>$inviter invited you to join <b>$organization</b> on Voice Agents "
            'as $role.</p><p><a href="$link">Accept the invitation</a></p>'
            "<p>The invitation expires in $expires_in.</p>"
        ),
    ),
}


def render(template_name: str, values: dict[str, str]) -> RenderedMail:
    template = TEMPLATES[template_name]
    escaped = {key: html.escape(str(value)) for key, value in values.items()}
    return RenderedMail(
        subject=Template(template.subject).substitute(values),
        text=Template(template.text).substitute(values),
        html=Template(_LAYOUT).substitute(content=Template(template.html).substitute(escaped)),
    )


def humanize_seconds(seconds: int) -> str:
    if seconds % 86400 == 0:
        days = seconds // 86400
        return f"{days} day{'s' if days != 1 else ''}"
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{max(1, seconds // 60)} minutes"


TEMPLATES.update(
    {
        "subscription_status": MailTemplate(
            subject="Your $organization subscription is now $status",
            text=(
                "Hello,\n\nThe $plan subscription of $organization is now $status.\n$detail\n"
                "Manage billing here:\n$link\n"
            ),
            html=(
                "<p>Hello,</p><p>The <b>$plan</b> subscription of <b>$organization</b> is now "
                '<b>$status</b>.</p><p>$detail</p><p><a href="$link">Manage billing</a></p>'
            ),
        ),
        "payment_failed": MailTemplate(
            subject="Payment failed for $organization",
            text=(
                "Hello,\n\nWe could not collect $amount for the $organization subscription.\n"
                "Update the payment method to keep your agents answering:\n$link\n"
            ),
            html=(
                "<p>Hello,</p><p>We could not collect <b>$amount</b> for the <b>$organization</b> "
                'subscription.</p><p><a href="$link">Update the payment method</a> to keep your '
                "agents answering.</p>"
            ),
        ),
        "credits_low": MailTemplate(
            subject="$organization is running low on call credits",
            text=(
                "Hello,\n\n$organization has $balance call credits left. When they run out, your "
                "agents stop taking calls.\nBuy credits or change plan here:\n$link\n"
            ),
            html=(
                "<p>Hello,</p><p><b>$organization</b> has <b>$balance</b> call credits left. When "
                "they run out, your agents stop taking calls.</p>"
                '<p><a href="$link">Buy credits or change plan</a></p>'
            ),
        ),
        "credits_depleted": MailTemplate(
            subject="$organization is out of call credits",
            text=(
                "Hello,\n\n$organization has run out of call credits (balance $balance). Your "
                "agents are not taking calls until credits are added.\nBuy credits here:\n$link\n"
            ),
            html=(
                "<p>Hello,</p><p><b>$organization</b> has run out of call credits (balance "
                "$balance). Your agents are not taking calls until credits are added.</p>"
                '<p><a href="$link">Buy credits</a></p>'
            ),
        ),
    }
)

TEMPLATES.update(
    {
        "webhook_endpoint_disabled": MailTemplate(
            subject="A webhook endpoint of $organization was disabled",
            text=(
                "Hello,\n\nThe webhook endpoint $endpoint of $organization failed every "
                "delivery for $window, so it was disabled and receives nothing now.\n"
                "Last error: $last_error\n\nFix the endpoint, then enable it again here (its "
                "failed deliveries can be retried there too):\n$link\n"
            ),
            html=(
                "<p>Hello,</p><p>The webhook endpoint <b>$endpoint</b> of <b>$organization</b> "
                "failed every delivery for $window, so it was disabled and receives nothing "
                "now.</p><p>Last error: $last_error</p><p>Fix the endpoint, then "
                '<a href="$link">enable it again</a> (its failed deliveries can be retried '
                "there too).</p>"
            ),
        ),
    }
)
