"""The answer as it is pasted into the network: addressed to the author, tidy, one click.

`answer_for_network(text, network, author_name, author_url)` returns what the «Копировать»
button puts on the clipboard:

* **VK** — a mention, ``[id123|Имя], `` for ``vk.com/id123``, ``[club5|Имя], `` and
  ``[public5|Имя], `` for communities, ``[screen_name|Имя], `` for a short address
  (``vk.com/ivanova``). VK turns ``[id|text]`` into a link to the page and notifies the
  person; it is the form the site itself inserts when one replies to a comment, and the
  form bot libraries parse back (vkbottle's ``MENTION_PATTERN``
  ``^\\[(club|public|id)(\\d*)\\|(.+)\\],?\\s?`` — the reply form with its comma and space;
  VK's wiki-markup help: ``[id1|Павел Дуров]``, ``[durov|Павел]`` for a short address).
  Without a usable link the answer starts «Имя, ».
* **Telegram** — ``@username `` when the link is ``t.me/username`` (or ``telegram.me``);
  usernames are 5–32 characters of ``a–z``, ``0–9`` and ``_``, starting with a letter
  (Telegram's rules, as validators such as ``validates_im``'s ``TelegramValidator`` list
  them). A ``t.me/c/…``, ``t.me/+…`` or ``t.me/joinchat/…`` link is a chat, not a person:
  the answer starts «Имя, ».
* **X** — ``@handle `` for ``x.com/handle`` or ``twitter.com/handle`` (1–15 letters,
  digits, ``_``; a few legacy handles are longer, so up to 20 are taken). The answer is
  *not* shortened to 280 characters: the length is a check the editor shows
  (`answer_style.length_problem`), never a silent cut.
* **OK, Max, WhatsApp, Instagram, Facebook, e-mail and the rest** — «Имя, ».

With no author name, no addressing at all (a mention of an unnamed page would show the raw
id). When the text already opens with the author's name («Анна, здравствуйте!» — what the
templates write), that name becomes the mention instead of a second address in front; a
text that already opens with a mention is left alone. Line endings become ``\\n``, trailing
spaces go, blank lines at the ends go, and runs of more than one empty line are one.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from desktop.models.enums import Network

_VK_HOSTS = frozenset({"vk.com", "vk.ru", "m.vk.com", "m.vk.ru", "new.vk.com"})
_TELEGRAM_HOSTS = frozenset({"t.me", "telegram.me", "telegram.dog"})
_X_HOSTS = frozenset({"x.com", "twitter.com", "mobile.twitter.com", "mobile.x.com"})

_VK_NUMERIC = re.compile(r"(id|club|public|event)(\d+)")
# A VK short address: letters, digits, «_» and «.», 2–32 characters, not all digits.
_VK_SCREEN_NAME = re.compile(r"[A-Za-z0-9_.]{2,32}")
# Pages of VK that are not somebody's address.
_VK_NOT_PEOPLE = frozenset(
    {
        "wall",
        "feed",
        "im",
        "photo",
        "video",
        "audio",
        "away.php",
        "search",
        "friends",
        "groups",
        "music",
        "clips",
        "market",
        "topic",
        "write",
        "app",
        "apps",
        "settings",
        "login",
        "id",
    }
)
_TELEGRAM_USERNAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{3,31}")
_TELEGRAM_NOT_PEOPLE = frozenset({"c", "joinchat", "addstickers", "share", "proxy", "s"})
_X_HANDLE = re.compile(r"[A-Za-z0-9_]{1,20}")
_X_NOT_PEOPLE = frozenset(
    {"home", "i", "intent", "search", "explore", "hashtag", "messages", "notifications", "share"}
)
_LEADING_MENTION = re.compile(r"^(?:\[[^\[\]|]+\|[^\[\]]+\]|@\w)")


def _url_parts(url: str) -> tuple[str, list[str]]:
    text = url.strip()
    if not text:
        return "", []
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    host = (parts.hostname or "").casefold().removeprefix("www.")
    return host, [segment for segment in parts.path.split("/") if segment]


def vk_mention_target(author_url: str) -> str | None:
    """`id123`, `club5`, `public5` or a short address from a VK page link; None otherwise."""
    host, path = _url_parts(author_url)
    if host not in _VK_HOSTS or len(path) != 1:
        return None
    segment = path[0]
    numeric = _VK_NUMERIC.fullmatch(segment)
    if numeric is not None:
        prefix = "club" if numeric.group(1) == "event" else numeric.group(1)
        return f"{prefix}{numeric.group(2)}"
    if (
        _VK_SCREEN_NAME.fullmatch(segment)
        and not segment.isdigit()
        and segment.casefold() not in _VK_NOT_PEOPLE
        and not segment.casefold().startswith(("wall", "photo", "video", "topic", "album"))
    ):
        return segment
    return None


def username_of(author_url: str, network: Network) -> str | None:
    """The @username a Telegram or X link names, without the @; None when it names none."""
    host, path = _url_parts(author_url)
    if not path:
        return None
    first = path[0].removeprefix("@")
    if network is Network.TELEGRAM and host in _TELEGRAM_HOSTS:
        if first.casefold() in _TELEGRAM_NOT_PEOPLE or first.startswith("+"):
            return None
        return first if _TELEGRAM_USERNAME.fullmatch(first) else None
    if network is Network.X and host in _X_HOSTS:
        if first.casefold() in _X_NOT_PEOPLE:
            return None
        return first if _X_HANDLE.fullmatch(first) else None
    return None


def mention_of(network: Network, author_name: str, author_url: str) -> str:
    """The author as the network links them: «[id1|Анна]», «@anna», or just «Анна»; "" with
    no name."""
    name = " ".join(author_name.split())
    if not name:
        return ""
    if network is Network.VK:
        target = vk_mention_target(author_url)
        if target is not None:
            label = name.replace("[", "(").replace("]", ")").replace("|", "/")
            return f"[{target}|{label}]"
    elif network in (Network.TELEGRAM, Network.X):
        username = username_of(author_url, network)
        if username is not None:
            return f"@{username}"
    return name


def address_of(network: Network, author_name: str, author_url: str) -> str:
    """How the answer opens to address the author: «[id1|Анна], », «@anna », «Анна, », ""."""
    mention = mention_of(network, author_name, author_url)
    if not mention:
        return ""
    return f"{mention} " if mention.startswith("@") else f"{mention}, "


def tidy(text: str) -> str:
    """Line endings as \\n, no trailing spaces, no blank lines at the ends, one empty line
    at most between paragraphs."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    joined = "\n".join(lines).strip()
    return re.sub(r"\n{3,}", "\n\n", joined)


def answer_for_network(text: str, network: Network, author_name: str, author_url: str) -> str:
    """The answer ready to paste into `network`, addressed to its author (see the module)."""
    network = Network(network)
    body = tidy(text)
    if not body or _LEADING_MENTION.match(body):
        return body
    mention = mention_of(network, author_name, author_url)
    if not mention:
        return body
    found = _opening_name(body, author_name)
    if found is not None:  # «Анна, здравствуйте!»: the name itself becomes the mention
        opening, shown = found
        if mention.startswith("[") and shown:  # VK shows the part of the name the answer used
            mention = re.sub(r"\|[^\]]*\]$", f"|{shown}]", mention)
        return mention + body[opening.end() :]
    address = address_of(network, author_name, author_url)
    return address + _lower_first(body, address)


def _opening_name(body: str, author_name: str) -> tuple[re.Match[str], str] | None:
    """The author's name the answer opens with — the whole name, or one of its words before a
    comma («Пётр, здравствуйте!» to «Пётр Иванов») — and that word as the name spells it
    ("" for the whole name)."""
    name = " ".join(author_name.split())
    if not name:
        return None
    whole = re.match(rf"{re.escape(name)}(?!\w)", body, re.IGNORECASE)
    if whole is not None:
        return whole, ""
    for word in name.split():
        if len(word) > 1:
            part = re.match(rf"{re.escape(word)}(?=,)", body, re.IGNORECASE)
            if part is not None:
                return part, word
    return None


def _lower_first(body: str, address: str) -> str:
    """After «Анна, » a sentence goes on in lower case («Анна, спасибо…»), unless it opens
    with a name or an abbreviation; after «@anna » it stays as written."""
    if not address.endswith(", "):
        return body
    first_word = re.match(r"\w+", body)
    if first_word is None:
        return body
    word = first_word.group(0)
    if len(word) > 1 and word[0].isupper() and word[1:].islower() and word in _OPENINGS:
        return word[0].lower() + body[1:]
    return body


# Words an answer opens with that are not names: lowered after the address.
_OPENINGS = frozenset(
    {
        "Здравствуйте",
        "Добрый",
        "Спасибо",
        "Благодарим",
        "Сообщаем",
        "Информируем",
        "Ваш",
        "Ваше",
        "Ваша",
        "Ваши",
        "Вопрос",
        "Работы",
        "Мы",
        "По",
        "Уточните",
        "Подскажите",
        "Приносим",
        "Извините",
    }
)
