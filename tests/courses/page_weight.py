"""
Measure what a phone downloads for one lesson: the HTML, the CSS and JS it
links (each compressed as the server would send it) and every image
rendition it references. Shared by the budget test and bench/lesson_weight.py.
"""

import gzip
from dataclasses import dataclass, field
from html.parser import HTMLParser

import brotli
from django.conf import settings
from django.contrib.staticfiles import finders

PHONE_WIDTH = 360


class _AssetParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.styles: list[str] = []
        self.scripts: list[str] = []
        self.images: list[dict] = []
        self.srcset_urls: list[tuple[str, int]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.styles.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.scripts.append(attrs["src"])
        if tag == "img":
            self.images.append(attrs)
        if tag in ("img", "source") and attrs.get("srcset"):
            for candidate in attrs["srcset"].split(","):
                url, width = candidate.strip().rsplit(" ", 1)
                self.srcset_urls.append((url, int(width.rstrip("w"))))


@dataclass
class PageWeight:
    html_raw: int
    html_gzip: int
    assets_gzip: dict[str, int]
    assets_brotli: dict[str, int]
    html_brotli: int
    images: list[dict] = field(default_factory=list)
    renditions: dict[str, tuple[int, int, str]] = field(default_factory=dict)

    @property
    def text_total_gzip(self) -> int:
        return self.html_gzip + sum(self.assets_gzip.values())

    @property
    def text_total_brotli(self) -> int:
        return self.html_brotli + sum(self.assets_brotli.values())


def _static_bytes(url: str) -> bytes:
    path = finders.find(url.removeprefix(settings.STATIC_URL).split("?")[0])
    with open(path, "rb") as handle:
        return handle.read()


def measure(client, url: str) -> PageWeight:
    """GET ``url`` with ``client`` (already logged in) and weigh the result."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    html = response.content
    parser = _AssetParser()
    parser.feed(html.decode())
    assets = {href: _static_bytes(href) for href in parser.styles + parser.scripts}
    weight = PageWeight(
        html_raw=len(html),
        html_gzip=len(gzip.compress(html, 6)),
        html_brotli=len(brotli.compress(html)),
        assets_gzip={k: len(gzip.compress(v, 6)) for k, v in assets.items()},
        assets_brotli={k: len(brotli.compress(v)) for k, v in assets.items()},
        images=parser.images,
    )
    for image_url, width in parser.srcset_urls:
        image = client.get(image_url)
        assert image.status_code == 200, image_url
        body = b"".join(image.streaming_content)
        weight.renditions[image_url] = (width, len(body), image["Content-Type"])
    return weight


def phone_renditions(weight: PageWeight) -> dict[str, tuple[int, int, str]]:
    return {u: r for u, r in weight.renditions.items() if r[0] <= PHONE_WIDTH}
