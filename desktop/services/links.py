"""What a pasted link says: which network it is from, and a key to find duplicates by."""

from __future__ import annotations

from urllib.parse import urlsplit

from desktop.models.enums import Network

_HOSTS: dict[str, Network] = {
    "vk.com": Network.VK,
    "vk.ru": Network.VK,
    "m.vk.com": Network.VK,
    "ok.ru": Network.OK,
    "m.ok.ru": Network.OK,
    "t.me": Network.TELEGRAM,
    "telegram.me": Network.TELEGRAM,
    "max.ru": Network.MAX,
    "web.max.ru": Network.MAX,
    "wa.me": Network.WHATSAPP,
    "whatsapp.com": Network.WHATSAPP,
    "instagram.com": Network.INSTAGRAM,
    "facebook.com": Network.FACEBOOK,
    "fb.com": Network.FACEBOOK,
    "x.com": Network.X,
    "twitter.com": Network.X,
    "pos.gosuslugi.ru": Network.POS,
}


def _split(link: str) -> tuple[str, str, str]:
    text = link.strip()
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    host = (parts.hostname or "").casefold().removeprefix("www.")
    return host, parts.path.rstrip("/"), parts.query


def network_of(link: str) -> Network | None:
    host, _, _ = _split(link)
    if not host:
        return None
    if host in _HOSTS:
        return _HOSTS[host]
    for known, network in _HOSTS.items():
        if host.endswith("." + known):
            return network
    return None


def link_key(link: str) -> str:
    """Scheme, `www.`, `m.`, case of the host and a trailing slash do not make a new link."""
    if not link.strip():
        return ""
    host, path, query = _split(link)
    host = host.removeprefix("m.")
    return f"{host}{path}" + (f"?{query}" if query else "")
