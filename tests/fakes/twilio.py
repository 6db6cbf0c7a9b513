"""A fake Twilio REST API (2010-04-01), served on 127.0.0.1, as the official `twilio` SDK calls it.

    async with FakeTwilio() as twilio:
        settings = base.model_copy(update=twilio.settings_overrides())
        twilio.stock("+14155550123")      # a number Twilio would sell
        twilio.hold("+14155550124")       # a number already in the account (ported in, or
                                          # bought in the console)
        ...                               # the app calls Twilio through its SDK
        twilio.numbers                    # the account's IncomingPhoneNumbers, by SID
        twilio.requests                   # every request, as sent

What it follows, page by page:

- Requests (https://www.twilio.com/docs/usage/requests-to-twilio): HTTP basic auth with the
  Account SID and Auth Token; the account in the path must be the one authenticated; POST
  bodies form-encoded, answers JSON with Twilio's snake_case keys. Wrong credentials: 401,
  error 20003 (https://www.twilio.com/docs/errors/20003).
- Errors (https://www.twilio.com/docs/usage/twilios-response#response-formats-exceptions):
  `{"code", "message", "more_info", "status"}`; the SDK raises `TwilioRestException` with that
  `code`. A resource that does not exist: 404, 20404 (https://www.twilio.com/docs/errors/20404).
- AvailablePhoneNumbers (https://www.twilio.com/docs/phone-numbers/api/availablephonenumberlocal-resource,
  .../availablephonenumber-tollfree-resource): `GET .../AvailablePhoneNumbers/{Country}/Local.json`
  and `TollFree.json`, filtered by `AreaCode` (US and Canada; not three digits: 21451,
  https://www.twilio.com/docs/errors/21451), `Contains` (digits, letters as on a keypad, `*`
  for any one digit) and `VoiceEnabled`/`SmsEnabled`; `PageSize` numbers at most. No match is
  an empty list, not an error. A country code that is not an ISO country: 20404.
- IncomingPhoneNumbers (https://www.twilio.com/docs/phone-numbers/api/incomingphonenumber-resource):
  create (buy) with `PhoneNumber` or `AreaCode`, and `VoiceUrl`, `VoiceMethod`,
  `StatusCallback`, `StatusCallbackMethod`, `FriendlyName` (default: the number in national
  format); a number not for sale (not in stock, or already held by this account): 21422
  (https://www.twilio.com/docs/errors/21422); not a valid number: 21421
  (https://www.twilio.com/docs/errors/21421); an `AreaCode` without stock: 21452 (the page's
  test-credentials table: "This area code doesn't have any available phone numbers"). List
  with `PhoneNumber` (a partial number, `*` for any digit), `FriendlyName`, paged by
  `PageSize`/`Page` with `next_page_uri`; fetch, update and delete (release: 204; the number
  leaves the account and is not for sale again at once, Twilio keeps released numbers aside).
- Calls (https://www.twilio.com/docs/voice/api/call-resource): create with `To`, `From` and one
  of `Url`/`Twiml`/`ApplicationSid`; `To` missing: 21201, `From` missing: 21213, `To` not a
  number, `sip:` or `client:` address: 21211, `From` not a number of the account: 21210, no
  instructions: 21205 (https://www.twilio.com/docs/errors/21201 etc.). A new call is `queued`
  and stays so until a test moves it on (`set_call_status`): no clock runs here. Update with
  `Url`/`Twiml` (the call runs the new instructions) or `Status` (`canceled` ends a queued or
  ringing call and does nothing to one in progress; `completed` hangs up any live call); an
  ended call refuses both with 21220 (https://www.twilio.com/docs/errors/21220).

Calls that reach us (`dial_in`): Twilio POSTs the number's `VoiceUrl` with the standard
parameters, signed with X-Twilio-Signature over that URL
(https://www.twilio.com/docs/usage/security#validating-requests); the TwiML it gets back is
kept on the call. Rules for what Twilio does with a call's TwiML afterwards (a SIP REFER, say)
plug in as `call_rules`: each sees the call and the request updating it, and may answer
instead of the default behaviour.

Failures are scripted with `fail(status=...)`: 500 (20500), 503 (20503), 429 (20429).
"""

from __future__ import annotations

import base64
import itertools
import re
import secrets
import string
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
import phonenumbers
from pydantic import SecretStr
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from twilio.request_validator import RequestValidator

from tests.fakes.base import FakeService

ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "twilio-auth-token-0123456789abcdef"
API_VERSION = "2010-04-01"
DEFAULT_PAGE_SIZE = 50
LIVE_CALL_STATUSES = ("queued", "ringing", "in-progress")
_KEYPAD = {
    letter: digit
    for digit, letters in {
        "2": "abc",
        "3": "def",
        "4": "ghi",
        "5": "jkl",
        "6": "mno",
        "7": "pqrs",
        "8": "tuv",
        "9": "wxyz",
    }.items()
    for letter in letters
}
_ISO_COUNTRIES = {
    region for region in phonenumbers.SUPPORTED_REGIONS if len(region) == 2 and region.isalpha()
}
_FAILURES = {
    429: (20429, "Too Many Requests"),
    500: (20500, "Internal Server Error"),
    503: (20503, "Service Unavailable"),
}


@dataclass
class TwilioRequest:
    """One request as the fake received it."""

    method: str
    path: str
    query: dict[str, str]
    form: dict[str, str]  # the last value of each key
    form_lists: dict[str, list[str]]  # every value of each key (StatusCallbackEvent repeats)
    authorized: bool = False
    status: int = 0


@dataclass
class _Failure:
    status: int
    path_contains: str | None
    remaining: int | None


# A call rule: (fake, call, request) -> a response to send instead, or None to go on.
CallRule = Callable[["FakeTwilio", dict[str, Any], TwilioRequest], Response | None]


def twilio_error(status: int, code: int, message: str) -> JSONResponse:
    """Twilio's error body (https://www.twilio.com/docs/usage/twilios-response)."""
    return JSONResponse(
        {
            "code": code,
            "message": message,
            "more_info": f"https://www.twilio.com/docs/errors/{code}",
            "status": status,
        },
        status_code=status,
    )


def _sid(prefix: str) -> str:
    return prefix + secrets.token_hex(16)


def _rfc2822(moment: datetime | None = None) -> str:
    # Twilio's 2010 API writes dates as RFC 2822 ("Tue, 31 Aug 2010 20:36:28 +0000").
    return format_datetime(moment or datetime.now(UTC))


def _e164(raw: str) -> str | None:
    try:
        parsed = phonenumbers.parse(raw.strip(), None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _national(e164: str) -> str:
    return phonenumbers.format_number(
        phonenumbers.parse(e164, None), phonenumbers.PhoneNumberFormat.NATIONAL
    )


def _pattern(contains: str) -> re.Pattern[str]:
    """Twilio's `Contains`: digits, keypad letters, `*` for any one digit."""
    parts = []
    for char in contains.lower():
        if char == "*":
            parts.append(r"\d")
        elif char in string.digits:
            parts.append(char)
        elif char in _KEYPAD:
            parts.append(_KEYPAD[char])
    return re.compile("".join(parts))


def _truthy(value: str | None) -> bool | None:
    return None if value is None else value.lower() == "true"


class FakeTwilio(FakeService):
    """The fake server and its state. Use as `async with FakeTwilio() as twilio:`."""

    def __init__(self, *, account_sid: str = ACCOUNT_SID, auth_token: str = AUTH_TOKEN) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.call_rules: list[CallRule] = []
        self.reset()
        base = f"/{API_VERSION}/Accounts/{{account}}"
        super().__init__(
            Starlette(
                routes=[
                    Route(
                        base + "/AvailablePhoneNumbers/{country}/{kind}.json",
                        self._available,
                        methods=["GET"],
                    ),
                    Route(
                        base + "/IncomingPhoneNumbers.json",
                        self._incoming_list,
                        methods=["GET", "POST"],
                    ),
                    Route(
                        base + "/IncomingPhoneNumbers/{sid}.json",
                        self._incoming_one,
                        methods=["GET", "POST", "DELETE"],
                    ),
                    Route(base + "/Calls.json", self._calls_list, methods=["GET", "POST"]),
                    Route(base + "/Calls/{sid}.json", self._calls_one, methods=["GET", "POST"]),
                    Route("/{path:path}", self._unknown, methods=["GET", "POST", "DELETE"]),
                ]
            )
        )

    # ----- lifecycle and scripting -----------------------------------------------------

    def reset(self) -> None:
        """Forget every request, number, call, rule and scripted failure."""
        self.requests: list[TwilioRequest] = []
        # Numbers for sale: E.164 -> the AvailablePhoneNumber JSON, plus "_kind".
        self.for_sale: dict[str, dict[str, Any]] = {}
        # The account's numbers (IncomingPhoneNumbers): SID -> JSON.
        self.numbers: dict[str, dict[str, Any]] = {}
        # Numbers given back (DELETE), oldest first.
        self.released: list[dict[str, Any]] = []
        self.calls: dict[str, dict[str, Any]] = {}
        self.call_rules = []
        self._failures: list[_Failure] = []
        self._sequence = itertools.count(1)

    def settings_overrides(self) -> dict[str, Any]:
        """For `Settings.model_copy(update=...)`: the account, its token and the API base."""
        return {
            "twilio_account_sid": self.account_sid,
            "twilio_auth_token": SecretStr(self.auth_token),
            "twilio_api_base": self.base_url,
        }

    def stock(
        self,
        e164: str,
        *,
        toll_free: bool = False,
        voice: bool = True,
        sms: bool = True,
        locality: str = "San Francisco",
        region: str = "CA",
    ) -> dict[str, Any]:
        """Put a number up for sale (what AvailablePhoneNumbers finds and a purchase takes)."""
        parsed = phonenumbers.parse(e164, None)
        country = phonenumbers.region_code_for_number(parsed) or "US"
        offer = {
            "friendly_name": _national(e164),
            "phone_number": e164,
            "lata": "722",
            "locality": locality,
            "rate_center": locality.upper(),
            "latitude": "37.780000",
            "longitude": "-122.420000",
            "region": region,
            "postal_code": "94103",
            "iso_country": country,
            "address_requirements": "none",
            "beta": False,
            # Capitalised as the AvailablePhoneNumber resource has them.
            "capabilities": {"voice": voice, "SMS": sms, "MMS": sms, "fax": False},
            "_kind": "TollFree" if toll_free else "Local",
        }
        self.for_sale[e164] = offer
        return offer

    def hold(
        self, e164: str, *, voice: bool = True, sms: bool = True, voice_url: str = ""
    ) -> dict[str, Any]:
        """A number already in the account, as if bought in the console or ported in."""
        return self._add_number(e164, voice=voice, sms=sms, params={"VoiceUrl": voice_url})

    def fail(
        self, *, status: int = 500, path_contains: str | None = None, times: int | None = 1
    ) -> None:
        """Answer the next `times` requests (whose path contains `path_contains`, or any)
        with Twilio's error for `status` (500, 503 or 429); `times=None`: until `reset()`."""
        if status not in _FAILURES:
            raise ValueError(f"no scripted Twilio failure for {status}")
        self._failures.append(_Failure(status, path_contains, times))

    def set_call_status(self, sid: str, status: str) -> None:
        """Move a call on (`ringing`, `in-progress`, `completed`, `busy`, `no-answer`, ...)."""
        call = self.calls[sid]
        call["status"] = status
        call["date_updated"] = _rfc2822()
        if status == "in-progress" and call["start_time"] is None:
            call["start_time"] = _rfc2822()
        if status not in LIVE_CALL_STATUSES and call["end_time"] is None:
            call["end_time"] = _rfc2822()

    def number(self, e164: str) -> dict[str, Any] | None:
        """The account's IncomingPhoneNumber for this number, if it holds it."""
        return next((n for n in self.numbers.values() if n["phone_number"] == e164), None)

    async def dial_in(
        self,
        to: str,
        *,
        from_: str,
        app: httpx.AsyncClient,
        call_sid: str | None = None,
    ) -> httpx.Response:
        """A caller phones `to`: Twilio POSTs the number's VoiceUrl, signed, through `app`
        (a client of the API, whatever host the URL names), and keeps the TwiML it gets."""
        held = self.number(to)
        if held is None or not held["voice_url"]:
            raise AssertionError(f"{to} is not a number of the account with a VoiceUrl")
        sid = call_sid or _sid("CA")
        call = self._new_call(sid, to=to, from_=from_, direction="inbound", status="ringing")
        params = {
            "AccountSid": self.account_sid,
            "ApiVersion": API_VERSION,
            "CallSid": sid,
            "CallStatus": "ringing",
            "Called": to,
            "Caller": from_,
            "Direction": "inbound",
            "From": from_,
            "To": to,
        }
        url = held["voice_url"]
        signature = RequestValidator(self.auth_token).compute_signature(url, params)
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        response = await app.post(path, data=params, headers={"X-Twilio-Signature": signature})
        call["twiml"].append(response.text)
        return response

    # ----- plumbing --------------------------------------------------------------------

    async def _read(self, request: Request) -> TwilioRequest:
        body = (await request.body()).decode("utf-8")
        pairs = parse_qsl(body, keep_blank_values=True)
        lists: dict[str, list[str]] = {}
        for key, value in pairs:
            lists.setdefault(key, []).append(value)
        recorded = TwilioRequest(
            method=request.method,
            path=request.url.path,
            query=dict(request.query_params),
            form={key: values[-1] for key, values in lists.items()},
            form_lists=lists,
        )
        self.requests.append(recorded)
        return recorded

    def _gate(self, request: Request, recorded: TwilioRequest) -> Response | None:
        """Authentication, then scripted failures."""
        expected = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        account = request.path_params.get("account")
        if request.headers.get("authorization") != f"Basic {expected}" or (
            account is not None and account != self.account_sid
        ):
            return twilio_error(401, 20003, "Authenticate")
        recorded.authorized = True
        for failure in self._failures:
            if failure.path_contains is not None and failure.path_contains not in recorded.path:
                continue
            if failure.remaining is not None:
                if failure.remaining <= 0:
                    continue
                failure.remaining -= 1
            code, message = _FAILURES[failure.status]
            return twilio_error(failure.status, code, message)
        return None

    def _answer(self, recorded: TwilioRequest, response: Response) -> Response:
        recorded.status = response.status_code
        return response

    async def _handle(
        self, request: Request, handler: Callable[[TwilioRequest], Response]
    ) -> Response:
        recorded = await self._read(request)
        refused = self._gate(request, recorded)
        return self._answer(recorded, refused if refused is not None else handler(recorded))

    def _uri(self, path: str) -> str:
        return f"/{API_VERSION}/Accounts/{self.account_sid}/{path}"

    # ----- AvailablePhoneNumbers ---------------------------------------------------------

    async def _available(self, request: Request) -> Response:
        country = request.path_params["country"]
        kind = request.path_params["kind"]

        def search(recorded: TwilioRequest) -> Response:
            if country not in _ISO_COUNTRIES or kind not in ("Local", "TollFree"):
                return twilio_error(404, 20404, "The requested resource was not found")
            query = recorded.query
            area_code = query.get("AreaCode")
            if area_code is not None and not re.fullmatch(r"[2-9]\d\d", area_code):
                return twilio_error(400, 21451, "Invalid area code")
            contains = _pattern(query["Contains"]) if query.get("Contains") else None
            voice, sms = _truthy(query.get("VoiceEnabled")), _truthy(query.get("SmsEnabled"))
            size = int(query.get("PageSize") or DEFAULT_PAGE_SIZE)
            found = []
            for offer in self.for_sale.values():
                e164 = offer["phone_number"]
                if offer["iso_country"] != country or offer["_kind"] != kind:
                    continue
                if area_code is not None and not e164.startswith(f"+1{area_code}"):
                    continue
                if contains is not None and not contains.search(e164[1:]):
                    continue
                if voice is not None and offer["capabilities"]["voice"] != voice:
                    continue
                if sms is not None and offer["capabilities"]["SMS"] != sms:
                    continue
                found.append({k: v for k, v in offer.items() if not k.startswith("_")})
            return JSONResponse(
                {
                    "available_phone_numbers": found[:size],
                    "uri": self._uri(f"AvailablePhoneNumbers/{country}/{kind}.json"),
                }
            )

        return await self._handle(request, search)

    # ----- IncomingPhoneNumbers ----------------------------------------------------------

    def _add_number(
        self, e164: str, *, voice: bool, sms: bool, params: dict[str, str]
    ) -> dict[str, Any]:
        sid = _sid("PN")
        now = _rfc2822()
        number = {
            "sid": sid,
            "account_sid": self.account_sid,
            "phone_number": e164,
            "friendly_name": params.get("FriendlyName") or _national(e164),
            "capabilities": {"voice": voice, "sms": sms, "mms": sms, "fax": False},
            "voice_url": params.get("VoiceUrl", ""),
            "voice_method": params.get("VoiceMethod", "POST"),
            "voice_fallback_url": None,
            "status_callback": params.get("StatusCallback", ""),
            "status_callback_method": params.get("StatusCallbackMethod", "POST"),
            "sms_url": params.get("SmsUrl", ""),
            "trunk_sid": None,
            "origin": "twilio",
            "status": "in-use",
            "api_version": API_VERSION,
            "beta": False,
            "date_created": now,
            "date_updated": now,
            "uri": self._uri(f"IncomingPhoneNumbers/{sid}.json"),
        }
        self.numbers[sid] = number
        return number

    def _buy(self, recorded: TwilioRequest) -> Response:
        form = recorded.form
        if "PhoneNumber" in form:
            e164 = _e164(form["PhoneNumber"])
            if e164 is None:
                return twilio_error(400, 21421, "PhoneNumber is invalid")
            offer = self.for_sale.get(e164)
            if offer is None:
                return twilio_error(400, 21422, "PhoneNumber is not available")
        elif "AreaCode" in form:
            area_code = form["AreaCode"]
            if not re.fullmatch(r"[2-9]\d\d", area_code):
                return twilio_error(400, 21451, "Invalid area code")
            offer = next(
                (
                    o
                    for o in self.for_sale.values()
                    if o["_kind"] == "Local" and o["phone_number"].startswith(f"+1{area_code}")
                ),
                None,
            )
            if offer is None:
                return twilio_error(400, 21452, f"No phone numbers found in area code {area_code}")
        else:
            # The page: "You must provide an AreaCode or a PhoneNumber"; no code is named.
            return twilio_error(400, 21421, "A 'PhoneNumber' or 'AreaCode' is required")
        del self.for_sale[offer["phone_number"]]
        number = self._add_number(
            offer["phone_number"],
            voice=offer["capabilities"]["voice"],
            sms=offer["capabilities"]["SMS"],
            params=form,
        )
        return JSONResponse(number, status_code=201)

    async def _incoming_list(self, request: Request) -> Response:
        def handle(recorded: TwilioRequest) -> Response:
            if recorded.method == "POST":
                return self._buy(recorded)
            query = recorded.query
            wanted = query.get("PhoneNumber")
            pattern = _pattern(wanted) if wanted else None
            name = query.get("FriendlyName")
            size = int(query.get("PageSize") or DEFAULT_PAGE_SIZE)
            page = int(query.get("Page") or 0)
            matching = [
                number
                for number in self.numbers.values()
                if (pattern is None or pattern.search(number["phone_number"][1:]))
                and (name is None or number["friendly_name"] == name)
            ]
            chunk = matching[page * size : (page + 1) * size]
            filters = {k: v for k, v in query.items() if k not in ("Page", "PageSize")}

            def page_uri(n: int) -> str:
                return self._uri(
                    "IncomingPhoneNumbers.json?"
                    + urlencode({**filters, "PageSize": size, "Page": n})
                )

            more = (page + 1) * size < len(matching)
            return JSONResponse(
                {
                    "incoming_phone_numbers": chunk,
                    "page": page,
                    "page_size": size,
                    "start": page * size,
                    "end": page * size + max(len(chunk) - 1, 0),
                    "uri": page_uri(page),
                    "first_page_uri": page_uri(0),
                    "next_page_uri": page_uri(page + 1) if more else None,
                    "previous_page_uri": page_uri(page - 1) if page else None,
                }
            )

        return await self._handle(request, handle)

    async def _incoming_one(self, request: Request) -> Response:
        sid = request.path_params["sid"]

        def handle(recorded: TwilioRequest) -> Response:
            number = self.numbers.get(sid)
            if number is None:
                return twilio_error(404, 20404, "The requested resource was not found")
            if recorded.method == "DELETE":
                self.released.append(self.numbers.pop(sid))
                return Response(status_code=204)
            if recorded.method == "POST":
                for param, key in (
                    ("VoiceUrl", "voice_url"),
                    ("VoiceMethod", "voice_method"),
                    ("StatusCallback", "status_callback"),
                    ("StatusCallbackMethod", "status_callback_method"),
                    ("FriendlyName", "friendly_name"),
                    ("SmsUrl", "sms_url"),
                ):
                    if param in recorded.form:
                        number[key] = recorded.form[param]
                number["date_updated"] = _rfc2822()
            return JSONResponse(number)

        return await self._handle(request, handle)

    # ----- Calls -------------------------------------------------------------------------

    def _new_call(
        self, sid: str, *, to: str, from_: str, direction: str, status: str, **extra: Any
    ) -> dict[str, Any]:
        now = _rfc2822()
        call = {
            "sid": sid,
            "account_sid": self.account_sid,
            "to": to,
            "to_formatted": _national(to) if to.startswith("+") else to,
            "from": from_,
            "from_formatted": _national(from_) if from_.startswith("+") else from_,
            "parent_call_sid": None,
            "direction": direction,
            "status": status,
            "start_time": None,
            "end_time": None,
            "duration": None,
            "price": None,
            "answered_by": None,
            "api_version": API_VERSION,
            "date_created": now,
            "date_updated": now,
            "uri": self._uri(f"Calls/{sid}.json"),
            # Not Twilio's: what the fake kept, for tests and call rules.
            "twiml": [],
            "url": None,
            "status_callback": None,
            "status_callback_event": [],
            **extra,
        }
        self.calls[sid] = call
        return call

    @staticmethod
    def _public(call: dict[str, Any]) -> dict[str, Any]:
        hidden = ("twiml", "url", "status_callback", "status_callback_event")
        return {key: value for key, value in call.items() if key not in hidden}

    def _place(self, recorded: TwilioRequest) -> Response:
        form = recorded.form
        to, from_ = form.get("To"), form.get("From")
        if not to:
            return twilio_error(400, 21201, "No 'To' number is specified")
        if not from_:
            return twilio_error(400, 21213, "No 'From' number is specified")
        if not (to.startswith(("sip:", "client:")) or _e164(to)):
            return twilio_error(400, 21211, f"Invalid 'To' Phone Number: {to}")
        if self.number(_e164(from_) or from_) is None:
            return twilio_error(
                400,
                21210,
                f"The source phone number provided, {from_}, is not yet verified for your account.",
            )
        if not any(form.get(key) for key in ("Url", "Twiml", "ApplicationSid")):
            return twilio_error(400, 21205, "Url parameter is required")
        call = self._new_call(
            _sid("CA"),
            to=to,
            from_=from_,
            direction="outbound-api",
            status="queued",
            url=form.get("Url"),
            status_callback=form.get("StatusCallback"),
            status_callback_event=recorded.form_lists.get("StatusCallbackEvent", []),
        )
        if form.get("Twiml"):
            call["twiml"].append(form["Twiml"])
        return JSONResponse(self._public(call), status_code=201)

    async def _calls_list(self, request: Request) -> Response:
        def handle(recorded: TwilioRequest) -> Response:
            if recorded.method == "POST":
                return self._place(recorded)
            calls = [self._public(call) for call in self.calls.values()]
            return JSONResponse(
                {
                    "calls": calls,
                    "page": 0,
                    "page_size": DEFAULT_PAGE_SIZE,
                    "start": 0,
                    "end": max(len(calls) - 1, 0),
                    "uri": self._uri("Calls.json"),
                    "first_page_uri": self._uri("Calls.json?Page=0"),
                    "next_page_uri": None,
                    "previous_page_uri": None,
                }
            )

        return await self._handle(request, handle)

    async def _calls_one(self, request: Request) -> Response:
        sid = request.path_params["sid"]

        def handle(recorded: TwilioRequest) -> Response:
            call = self.calls.get(sid)
            if call is None:
                return twilio_error(404, 20404, "The requested resource was not found")
            if recorded.method == "GET":
                return JSONResponse(self._public(call))
            for rule in self.call_rules:
                answered = rule(self, call, recorded)
                if answered is not None:
                    return answered
            form = recorded.form
            if call["status"] not in LIVE_CALL_STATUSES:
                return twilio_error(400, 21220, "Call is not in-progress. Cannot redirect.")
            status = form.get("Status")
            if status == "completed" or (
                status == "canceled" and call["status"] in ("queued", "ringing")
            ):
                self.set_call_status(sid, status)
            if form.get("Twiml"):
                call["twiml"].append(form["Twiml"])
            if form.get("Url"):
                call["url"] = form["Url"]
            call["date_updated"] = _rfc2822()
            return JSONResponse(self._public(call))

        return await self._handle(request, handle)

    async def _unknown(self, request: Request) -> Response:
        return await self._handle(
            request, lambda _: twilio_error(404, 20404, "The requested resource was not found")
        )
