#!/usr/bin/env python3
"""Render Dossier's test corpus: the fictional Halden Institute web site.

Reads every ``tools/corpus/articles/*.md`` (TOML front matter between ``+++``
lines, then a plain-text body) and writes complete HTML pages under
``corpus/halden.example/`` in one of three templates (``wordpress``,
``jsonld``, ``legacy``).  Every page is wrapped in sizeable site chrome (menus,
cookie banner, sidebars, newsletter box, comments, footer, inline script and
style) that a search engine must learn to ignore.

Python 3.11+ standard library only.  Output is deterministic: inputs are
sorted and every "random" choice is seeded from the article's slug.

Usage:  python3 tools/corpus/render.py [--keep-going] [--check]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import html
import json
import random
import re
import shutil
import sys
import textwrap
import tomllib
import unicodedata
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SRC_DIR = ROOT / "tools" / "corpus" / "articles"
OUT_DIR = ROOT / "corpus"
HOST = "halden.example"
SITE_DIR = OUT_DIR / HOST
BASE_URL = f"https://{HOST}"
SITE_NAME = "Halden Institute"
SITE_FULL = "Halden Institute for Global Affairs"

CATEGORIES = ["News", "Analysis", "Backgrounder", "Opinion", "Report"]
TEMPLATES = ["wordpress", "jsonld", "legacy"]

# Main menu: every region with a sub-menu of countries.
REGIONS: dict[str, list[str]] = {
    "Africa": ["Nigeria", "Kenya", "South Africa", "Ethiopia",
               "Democratic Republic of the Congo"],
    "Americas": ["United States", "Canada", "Brazil", "Mexico", "Argentina",
                 "Chile"],
    "Asia-Pacific": ["China", "Japan", "India", "Mongolia", "Australia",
                     "Indonesia"],
    "Europe": ["Germany", "France", "United Kingdom", "Poland", "Italy"],
    "Middle East": ["Iran", "Saudi Arabia", "Israel", "Turkey", "Egypt"],
    "Russia & Eurasia": ["Russia", "Ukraine", "Kazakhstan", "Georgia",
                         "Uzbekistan"],
}
TOPICS = ["Energy", "Security", "Trade", "Critical Minerals", "Climate",
          "Elections"]
TZ = {"jsonld": "+08:00", "wordpress": "+00:00", "legacy": "+00:00"}

MONTHS = ["January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December"]
MONTHS_SHORT = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
                "Oct", "Nov", "Dec"]

COPYRIGHT = "© 2014–2025 Halden Institute"
SOCIAL = [("X (Twitter)", "https://x.com/haldeninstitute"),
          ("Facebook", "https://www.facebook.com/haldeninstitute"),
          ("LinkedIn", "https://www.linkedin.com/company/halden-institute"),
          ("YouTube", "https://www.youtube.com/@haldeninstitute"),
          ("RSS", "/feed/")]
NEWSLETTER = ("Get our weekly briefing on Africa, the Americas, Asia-Pacific, "
              "Europe, the Middle East and Russia & Eurasia")

COOKIE_TEXTS = [
    "We use cookies to understand how our analysis is read and to improve "
    "this site. You can accept all cookies or choose which ones to allow.",
    "This website uses cookies and similar technologies for audience "
    "measurement and to remember your preferences. See our cookie policy "
    "for details.",
    "Halden Institute uses essential cookies to make this site work and "
    "optional analytics cookies to help us improve it. Your choice will be "
    "remembered for twelve months.",
]
EVENTS = [
    ("Webinar: Supply chains after the pandemic", dt.date(2025, 2, 11)),
    ("Panel: Security in the Indo-Pacific", dt.date(2025, 3, 4)),
    ("Book launch: The Steppe and the Sea", dt.date(2025, 3, 19)),
    ("Roundtable: Energy transition in the Gulf", dt.date(2025, 4, 2)),
    ("Briefing: Elections to watch this year", dt.date(2025, 1, 28)),
    ("Conference: Africa’s infrastructure decade", dt.date(2025, 5, 14)),
    ("Podcast live: Europe between the blocs", dt.date(2025, 6, 5)),
]
AUTHOR_ROLES = ["a senior fellow", "a research analyst", "an associate fellow",
                "a non-resident fellow", "a deputy editor",
                "the programme director"]
CAPTIONS = [
    "Officials arrive for talks in {place}.",
    "A street scene in {place}, where the issue dominates public debate.",
    "Delegates gather before a session on {place}.",
    "Port facilities outside the capital of {place}.",
    "A government building in {place} seen at dusk.",
    "Supporters and critics alike followed the news from {place} closely.",
]
PHOTO_CREDITS = ["Halden Institute/Archive", "Photo agency pool",
                 "Staff photographer", "Handout"]
TRENDING_BARS = [["Elections", "Energy", "Critical Minerals"],
                 ["Security", "Trade", "Climate"],
                 ["Critical Minerals", "Climate", "Security"],
                 ["Trade", "Elections", "Energy"]]
ACCENTS = ["#8a1c2b", "#1d4e89", "#0b6e4f", "#6b4c9a", "#9a5b13"]


# --------------------------------------------------------------------------
# Model and parsing
# --------------------------------------------------------------------------

@dataclass
class Block:
    kind: str                      # "p", "h2", "ul", "quote"
    text: str = ""
    items: list[str] = field(default_factory=list)


@dataclass
class Comment:
    name: str
    date: dt.date
    text: str


@dataclass
class Article:
    source: Path
    slug: str
    title: str
    date: dt.date
    time: str | None
    updated: dt.date | None
    author: str
    category: str
    regions: list[str]
    countries: list[str]
    tags: list[str]
    template: str
    blocks: list[Block]
    comments: list[Comment]

    # ---- derived ------------------------------------------------------
    @property
    def rng_seed(self) -> int:
        return int.from_bytes(hashlib.sha256(self.slug.encode()).digest()[:8],
                              "big")

    def rng(self, salt: str) -> random.Random:
        h = hashlib.sha256(f"{self.slug}\0{salt}".encode()).digest()
        return random.Random(int.from_bytes(h[:8], "big"))

    @property
    def post_id(self) -> int:
        return 1000 + self.rng_seed % 89000

    @property
    def url(self) -> str:
        """Site-relative URL of the page."""
        if self.template == "wordpress":
            return f"/{self.date:%Y}/{self.date:%m}/{self.slug}/"
        if self.template == "jsonld":
            return f"/analysis/{self.slug}"
        return f"/archive/{self.date:%Y}/{self.slug}.htm"

    @property
    def abs_url(self) -> str:
        return BASE_URL + self.url

    @property
    def out_path(self) -> Path:
        if self.template == "wordpress":
            return SITE_DIR / f"{self.date:%Y}" / f"{self.date:%m}" / self.slug / "index.html"
        if self.template == "jsonld":
            return SITE_DIR / "analysis" / f"{self.slug}.html"
        return SITE_DIR / "archive" / f"{self.date:%Y}" / f"{self.slug}.htm"

    @property
    def pub_time(self) -> str:
        """HH:MM:SS; derived from the slug (09:00–18:59) when not given."""
        if self.time:
            return self.time + ":00"
        r = self.rng("time")
        return f"{r.randint(9, 18):02d}:{r.randint(0, 59):02d}:00"

    @property
    def mod_time(self) -> str:
        """HH:MM:SS of the update, derived from the slug; on a same-day
        update it falls between the publication time and 23:59."""
        r = self.rng("modtime")
        if self.updated == self.date:
            h, m, _ = map(int, self.pub_time.split(":"))
            start = h * 60 + m + 1
            t = r.randint(min(start + 30, 23 * 60 + 59), 23 * 60 + 59)
            return f"{t // 60:02d}:{t % 60:02d}:00"
        return f"{r.randint(9, 18):02d}:{r.randint(0, 59):02d}:00"

    def published_iso(self) -> str:
        return f"{self.date.isoformat()}T{self.pub_time}{TZ[self.template]}"

    def modified_iso(self) -> str | None:
        if not self.updated:
            return None
        return f"{self.updated.isoformat()}T{self.mod_time}{TZ[self.template]}"

    @property
    def paragraphs(self) -> list[str]:
        return [b.text for b in self.blocks if b.kind == "p"]

    @property
    def summary(self) -> str:
        """First sentence of the first paragraph (for teasers/descriptions)."""
        paras = self.paragraphs
        if not paras:
            return self.title
        first = paras[0]
        m = re.search(r"[.!?][’”\"')]*(?=\s+[A-Z“‘\"'0-9])", first)
        s = first[: m.end()] if m else first
        if len(s) > 240:
            s = s[:240].rsplit(" ", 1)[0].rstrip(",;:") + "…"
        return s


class SourceError(Exception):
    pass


FM_RE = re.compile(r"\A\+\+\+[ \t]*\r?\n(.*?)\r?\n\+\+\+[ \t]*(?:\r?\n|\Z)", re.S)
TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
COMMENTS_MARK = "--- comments ---"


def _as_date(value, key: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise SourceError(f"{key}: expected a YYYY-MM-DD date, got {value!r}")


def _as_str_list(value, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise SourceError(f"{key}: expected a list of non-empty strings")
    return [v.strip() for v in value]


def parse_body(text: str) -> tuple[list[Block], list[str]]:
    lines = text.splitlines()
    comment_lines: list[str] = []
    for i, line in enumerate(lines):
        if line.strip() == COMMENTS_MARK:
            comment_lines = [l.strip() for l in lines[i + 1:] if l.strip()]
            lines = lines[:i]
            break

    blocks: list[Block] = []
    cur: Block | None = None

    def flush():
        nonlocal cur
        if cur is not None:
            if cur.kind in ("p", "quote"):
                cur.text = " ".join(cur.text.split())
            cur.items = [" ".join(i.split()) for i in cur.items]
            blocks.append(cur)
        cur = None

    for raw in lines:
        line = raw.rstrip()
        s = line.strip()
        if not s:
            flush()
            continue
        if s.startswith("## "):
            flush()
            blocks.append(Block("h2", " ".join(s[3:].split())))
            continue
        if s.startswith("- "):
            if cur is None or cur.kind != "ul":
                flush()
                cur = Block("ul")
            cur.items.append(s[2:])
            continue
        if s.startswith(">"):
            if cur is None or cur.kind != "quote":
                flush()
                cur = Block("quote")
            cur.text += " " + s[1:].strip()
            continue
        # plain text line
        if cur is not None and cur.kind == "ul" and line[:1].isspace():
            cur.items[-1] += " " + s          # indented continuation of an item
            continue
        if cur is not None and cur.kind == "quote":
            cur.text += " " + s               # lazy continuation of a quote
            continue
        if cur is None or cur.kind != "p":
            flush()
            cur = Block("p")
        cur.text += " " + s
    flush()
    return blocks, comment_lines


def load_article(path: Path) -> Article:
    raw = path.read_text(encoding="utf-8")
    m = FM_RE.match(raw)
    if not m:
        raise SourceError("missing +++ front matter")
    try:
        fm = tomllib.loads(m.group(1))
    except tomllib.TOMLDecodeError as e:
        raise SourceError(f"front matter is not valid TOML: {e}") from None
    required = ["slug", "title", "date", "author", "category", "regions",
                "countries", "tags", "template"]
    missing = [k for k in required if k not in fm]
    if missing:
        raise SourceError(f"missing keys: {', '.join(missing)}")
    known = set(required) | {"time", "updated"}
    extra = sorted(set(fm) - known)
    if extra:
        raise SourceError(f"unknown keys: {', '.join(extra)}")

    slug = fm["slug"]
    if not isinstance(slug, str) or not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug):
        raise SourceError(f"slug must be lower-case words joined by hyphens: {slug!r}")
    if slug != path.stem:
        raise SourceError(f"slug {slug!r} does not match file name {path.name!r}")
    for k in ("title", "author"):
        if not isinstance(fm[k], str) or not fm[k].strip():
            raise SourceError(f"{k}: expected a non-empty string")
    date = _as_date(fm["date"], "date")
    time = fm.get("time")
    if isinstance(time, dt.time):
        time = f"{time.hour:02d}:{time.minute:02d}"
    if time is not None and (not isinstance(time, str) or not TIME_RE.match(time)):
        raise SourceError(f"time: expected HH:MM, got {time!r}")
    updated = _as_date(fm["updated"], "updated") if "updated" in fm else None
    if updated is not None and updated < date:
        raise SourceError("updated must not be earlier than date")
    if fm["category"] not in CATEGORIES:
        raise SourceError(f"category must be one of {CATEGORIES}, got {fm['category']!r}")
    regions = _as_str_list(fm["regions"], "regions")
    if not regions:
        raise SourceError("regions: at least one region is required")
    bad = [r for r in regions if r not in REGIONS]
    if bad:
        raise SourceError(f"unknown regions {bad}; use {list(REGIONS)}")
    countries = _as_str_list(fm["countries"], "countries")
    tags = _as_str_list(fm["tags"], "tags")
    if fm["template"] not in TEMPLATES:
        raise SourceError(f"template must be one of {TEMPLATES}")

    body = raw[m.end():]
    blocks, comment_lines = parse_body(body)
    if not any(b.kind == "p" for b in blocks):
        raise SourceError("body has no paragraphs")
    comments = []
    for line in comment_lines:
        parts = [p.strip() for p in line.split("|", 2)]
        if len(parts) != 3 or not all(parts):
            raise SourceError(f"bad comment line (want 'name | date | text'): {line!r}")
        cdate = _as_date(parts[1], "comment date")
        if cdate < date:
            raise SourceError(f"comment dated before the article: {line!r}")
        comments.append(Comment(parts[0], cdate, parts[2]))
    if len(comments) > 3:
        raise SourceError("at most 3 comments")

    return Article(path, slug, " ".join(fm["title"].split()), date, time, updated,
                   fm["author"].strip(), fm["category"], regions, countries, tags,
                   fm["template"], blocks, comments)


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------

def esc(s: str) -> str:
    return html.escape(s, quote=True)


def slugify(s: str) -> str:
    s = s.replace("’", "").replace("'", "").replace("&", " ")
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")


def date_us(d: dt.date) -> str:           # May 3, 2019
    return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"


def date_gb_short(d: dt.date) -> str:     # 3 Aug 2023
    return f"{d.day} {MONTHS_SHORT[d.month - 1]} {d.year}"


def date_gb_long(d: dt.date) -> str:      # 14 March 2015
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def json_script(obj) -> str:
    s = json.dumps(obj, ensure_ascii=False, indent=2)
    return s.replace("</", "<\\/")


class Corpus:
    def __init__(self, articles: list[Article]):
        self.articles = sorted(articles, key=lambda a: a.slug)
        self.chrono = sorted(self.articles, key=lambda a: (a.date, a.pub_time, a.slug))
        counts: dict[str, int] = {}
        for a in self.articles:
            for t in a.tags:
                counts[t] = counts.get(t, 0) + 1
        self.tag_cloud = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].lower()))[:16]
        self.author_region: dict[str, str] = {}
        for a in self.chrono:
            self.author_region.setdefault(a.author, a.regions[0])

    def others(self, a: Article) -> list[Article]:
        return [b for b in self.articles if b.slug != a.slug]

    def ranked(self, a: Article) -> list[Article]:
        """Other articles, those sharing regions/countries first; ties seeded."""
        r = a.rng("related")
        others = self.others(a)
        r.shuffle(others)

        def score(b: Article) -> int:
            return (2 * len(set(a.regions) & set(b.regions))
                    + len(set(a.countries) & set(b.countries)))
        return sorted(others, key=lambda b: -score(b))   # stable after shuffle

    def related(self, a: Article, n: int = 5) -> list[Article]:
        return self.ranked(a)[:n]

    def more_stories(self, a: Article, n: int = 4) -> list[Article]:
        ranked = self.ranked(a)
        picks = ranked[5:5 + n]
        for b in ranked:
            if len(picks) >= n:
                break
            if b not in picks:
                picks.append(b)
        return picks

    def most_read(self, a: Article, n: int = 5) -> list[Article]:
        others = self.others(a)
        return a.rng("mostread").sample(others, min(n, len(others)))

    def other_stories(self, a: Article, n: int = 6) -> list[Article]:
        others = self.others(a)
        picks = a.rng("otherstories").sample(others, min(n, len(others)))
        return sorted(picks, key=lambda b: (b.date, b.slug), reverse=True)

    def read_also(self, a: Article) -> Article | None:
        ranked = self.ranked(a)
        return ranked[0] if ranked else None

    def prev_next(self, a: Article) -> tuple[Article | None, Article | None]:
        i = self.chrono.index(a)
        prev = self.chrono[i - 1] if i > 0 else None
        nxt = self.chrono[i + 1] if i + 1 < len(self.chrono) else None
        return prev, nxt

    def author_bio(self, a: Article) -> str:
        r = random.Random(int(hashlib.sha256(a.author.encode()).hexdigest()[:12], 16))
        role = r.choice(AUTHOR_ROLES)
        region = self.author_region.get(a.author, a.regions[0])
        years = r.randint(3, 14)
        return (f"{a.author} is {role} in the {region} programme at the Halden "
                f"Institute, with {years} years of experience reporting on "
                f"politics, trade and security.")


def analytics_script(a: Article, flavour: str) -> str:
    return (
        "window.dataLayer = window.dataLayer || [];\n"
        "function gtag(){dataLayer.push(arguments);}\n"
        "gtag('js', new Date());\n"
        f"gtag('config', 'G-HALDEN{a.post_id % 97:02d}', {{'content_group': '{a.category}', "
        f"'page_type': 'article', 'cms': '{flavour}', 'anonymize_ip': true}});\n"
        "(function(w,d){var s=d.createElement('script');s.async=true;"
        f"s.src='https://stats.{HOST}/px.js?site=halden&id={a.post_id}';"
        "var f=d.getElementsByTagName('script')[0];f.parentNode.insertBefore(s,f);"
        "w.hiConsent=function(v){d.cookie='hi_consent='+v+';max-age=31536000;path=/';"
        "var b=d.querySelector('.cookie-banner');if(b){b.style.display='none';}};"
        "})(window,document);\n"
    )


def base_css(accent: str) -> str:
    return (
        f":root{{--accent:{accent};--ink:#1b1b1b;--muted:#666;}}\n"
        "body{margin:0;font:17px/1.6 Georgia,'Times New Roman',serif;color:var(--ink);}\n"
        ".cookie-banner{position:fixed;bottom:0;left:0;right:0;background:#222;color:#eee;"
        "padding:1em 2em;z-index:999;font-family:Arial,sans-serif;font-size:14px}\n"
        ".cookie-banner button{margin-left:.5em;padding:.4em 1em;border:0;cursor:pointer}\n"
        ".cookie-banner .accept{background:var(--accent);color:#fff}\n"
        "nav ul{list-style:none;margin:0;padding:0}\n"
        "nav li{display:inline-block;position:relative;margin-right:1em}\n"
        "nav .sub-menu{display:none;position:absolute;background:#fff;box-shadow:0 2px 8px #0003}\n"
        "nav li:hover>.sub-menu{display:block}\n"
        "a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}\n"
        ".newsletter{background:#f3f0ea;padding:1em;border-top:3px solid var(--accent)}\n"
        ".site-footer{background:#111;color:#bbb;padding:2em;font-size:14px}\n"
        "blockquote{border-left:4px solid var(--accent);margin:1.5em 0;padding:.2em 1em;"
        "font-style:italic}\n"
        "@media (max-width:760px){nav li{display:block}.widget-area,.sidebar{display:none}}\n"
    )


def cookie_banner(a: Article) -> str:
    text = a.rng("cookie").choice(COOKIE_TEXTS)
    return (
        '<div class="cookie-banner" role="dialog" aria-live="polite" aria-label="Cookie consent">\n'
        f'<p class="cookie-text">{esc(text)} <a href="/privacy-policy/">Privacy policy</a></p>\n'
        '<div class="cookie-actions">'
        '<button type="button" class="accept" onclick="hiConsent(\'all\')">Accept all</button>'
        '<button type="button" class="reject" onclick="hiConsent(\'essential\')">Essential only</button>'
        '<button type="button" class="settings">Cookie settings</button></div>\n'
        '</div>\n'
    )


def region_menu(ul_class: str, sub_class: str, href_region, href_country) -> str:
    out = [f'<ul class="{ul_class}">']
    for i, (region, countries) in enumerate(REGIONS.items()):
        out.append(f'<li class="menu-item menu-item-has-children menu-item-{301 + i}">'
                   f'<a href="{href_region(region)}">{esc(region)}</a>')
        out.append(f'<ul class="{sub_class}">')
        for c in countries:
            out.append(f'<li class="menu-item"><a href="{href_country(region, c)}">{esc(c)}</a></li>')
        out.append('</ul></li>')
    out.append('<li class="menu-item menu-item-has-children"><a href="/topics/">Topics</a>')
    out.append(f'<ul class="{sub_class}">')
    for t in TOPICS:
        out.append(f'<li class="menu-item"><a href="/topics/{slugify(t)}/">{esc(t)}</a></li>')
    out.append('</ul></li>')
    out.append('<li class="menu-item"><a href="/events/">Events</a></li>')
    out.append('<li class="menu-item"><a href="/about/">About</a></li>')
    out.append('</ul>')
    return "\n".join(out)


def newsletter_box(a: Article, tag: str = "div") -> str:
    r = a.rng("newsletter")
    head = r.choice(["The Halden Brief", "Weekly Briefing", "Stay informed"])
    return (
        f'<{tag} class="newsletter widget widget_newsletter">\n'
        f'<h3 class="widget-title">{head}</h3>\n'
        f'<p>{esc(NEWSLETTER)}.</p>\n'
        '<form class="newsletter-form" action="/newsletter/subscribe" method="post">'
        '<label for="nl-email">Email address</label>'
        '<input type="email" id="nl-email" name="email" placeholder="you@example.com" required>'
        '<input type="hidden" name="list" value="weekly">'
        '<button type="submit">Sign up</button></form>\n'
        '<p class="small">You can unsubscribe at any time. We never share your address.</p>\n'
        f'</{tag}>\n'
    )


def footer_html(a: Article, region_href) -> str:
    out = ['<footer id="colophon" class="site-footer">',
           '<div class="footer-regions"><h4>Regions</h4><ul>']
    for region in REGIONS:
        out.append(f'<li><a href="{region_href(region)}">{esc(region)}</a></li>')
    out.append('</ul></div>')
    out.append('<div class="footer-topics"><h4>Topics</h4><ul>')
    for t in TOPICS:
        out.append(f'<li><a href="/topics/{slugify(t)}/">{esc(t)}</a></li>')
    out.append('</ul></div>')
    out.append('<div class="footer-institute"><h4>The Institute</h4><ul>'
               '<li><a href="/about/">About</a></li><li><a href="/about/people/">Our people</a></li>'
               '<li><a href="/careers/">Careers</a></li><li><a href="/contact/">Contact</a></li>'
               '<li><a href="/support-us/">Support us</a></li>'
               '<li><a href="/privacy-policy/">Privacy</a></li><li><a href="/terms/">Terms of use</a></li>'
               '</ul></div>')
    out.append('<div class="footer-social"><h4>Follow us</h4><ul class="social-links">')
    for name, href in SOCIAL:
        out.append(f'<li><a href="{href}" rel="noopener">{esc(name)}</a></li>')
    out.append('</ul></div>')
    out.append(f'<p class="site-info">{esc(COPYRIGHT)}. {esc(SITE_FULL)} is an independent, '
               'non-partisan research organisation. Views expressed are those of the authors.</p>')
    out.append('</footer>')
    return "\n".join(out) + "\n"


def events_widget(a: Article) -> str:
    picks = sorted(a.rng("events").sample(EVENTS, 2), key=lambda e: e[1])
    out = ['<section class="widget widget_events"><h3 class="widget-title">Upcoming events</h3><ul>']
    for title, d in picks:
        out.append(f'<li><a href="/events/{slugify(title)}/">{esc(title)}</a> '
                   f'<span class="event-date">{date_gb_long(d)}</span></li>')
    out.append('</ul></section>')
    return "\n".join(out) + "\n"


def tag_cloud_widget(c: Corpus) -> str:
    if not c.tag_cloud:
        return ""
    top = c.tag_cloud[0][1]
    out = ['<section class="widget widget_tag_cloud"><h3 class="widget-title">Popular topics</h3>',
           '<div class="tagcloud">']
    for tag, n in sorted(c.tag_cloud, key=lambda kv: kv[0].lower()):
        size = 8 + round(14 * n / top)
        out.append(f'<a href="/tag/{slugify(tag)}/" class="tag-cloud-link" '
                   f'style="font-size: {size}pt;" aria-label="{esc(tag)} ({n} items)">{esc(tag)}</a>')
    out.append('</div></section>')
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------
# Template 1: WordPress
# --------------------------------------------------------------------------

def wp_body(a: Article, c: Corpus) -> str:
    out = []
    read_also = c.read_also(a)
    n_paras = len(a.paragraphs)
    seen_p = 0
    inserted = False

    def maybe_read_also():
        nonlocal inserted
        if read_also and not inserted:
            out.append(f'<div class="read-also">Read also: <a href="{read_also.url}">'
                       f'{esc(read_also.title)}</a></div>')
            inserted = True

    for b in a.blocks:
        if b.kind == "p":
            out.append(f"<p>{esc(b.text)}</p>")
            seen_p += 1
            if seen_p == 2 or (n_paras < 2 and seen_p == n_paras):
                maybe_read_also()
        elif b.kind == "h2":
            out.append(f'<h2 class="wp-block-heading">{esc(b.text)}</h2>')
        elif b.kind == "ul":
            out.append('<ul class="wp-block-list">')
            out.extend(f"<li>{esc(i)}</li>" for i in b.items)
            out.append("</ul>")
        elif b.kind == "quote":
            out.append(f'<blockquote class="wp-block-quote"><p>{esc(b.text)}</p></blockquote>')
    return "\n".join(out)


def comment_time(a: Article, i: int, cm: Comment) -> str:
    """HH:MM:SS of a comment, seeded; later than the article on its publication day."""
    r = a.rng(f"comment{i}")
    lo = 8 * 60
    if cm.date == a.date:
        h, m, _ = map(int, a.pub_time.split(":"))
        lo = min(h * 60 + m + 20, 23 * 60 + 59)
    t = r.randint(lo, max(lo, 22 * 60 + 59))
    return f"{t // 60:02d}:{t % 60:02d}:00"


def wp_comments(a: Article) -> str:
    out = ['<div id="comments" class="comments-area">']
    n = len(a.comments)
    if n:
        word = "thought" if n == 1 else "thoughts"
        out.append(f'<h2 class="comments-title">{n} {word} on “{esc(a.title)}”</h2>')
        out.append('<ol class="comment-list">')
        for i, cm in enumerate(a.comments):
            cid = a.post_id * 10 + i
            when = f"{cm.date.isoformat()}T{comment_time(a, i, cm)}+00:00"
            out.append(
                f'<li id="comment-{cid}" class="comment {"even" if i % 2 == 0 else "odd"} depth-1">\n'
                f'<article id="div-comment-{cid}" class="comment-body">\n'
                '<footer class="comment-meta"><div class="comment-author vcard">'
                f'<img alt="" src="/wp-content/avatars/{slugify(cm.name)}.png" class="avatar" height="42" width="42">'
                f'<b class="fn">{esc(cm.name)}</b> <span class="says">says:</span></div>'
                f'<div class="comment-metadata"><a href="{a.url}#comment-{cid}">'
                f'<time datetime="{when}">{date_us(cm.date)} at {when[11:16]}</time></a></div></footer>\n'
                f'<div class="comment-content"><p>{esc(cm.text)}</p></div>\n'
                f'<div class="reply"><a rel="nofollow" class="comment-reply-link" '
                f'href="{a.url}?replytocom={cid}#respond">Reply</a></div>\n'
                '</article></li>')
        out.append('</ol>')
    out.append('<div id="respond" class="comment-respond">'
               '<h3 id="reply-title" class="comment-reply-title">Leave a Reply</h3>'
               '<form action="/wp-comments-post.php" method="post" id="commentform" class="comment-form">'
               '<p class="comment-notes">Your email address will not be published. Required fields are marked *</p>'
               '<p class="comment-form-comment"><label for="comment">Comment *</label>'
               '<textarea id="comment" name="comment" cols="45" rows="8" required></textarea></p>'
               '<p class="comment-form-author"><label for="author">Name *</label>'
               '<input id="author" name="author" type="text" size="30" required></p>'
               '<p class="comment-form-email"><label for="email">Email *</label>'
               '<input id="email" name="email" type="email" size="30" required></p>'
               '<p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="Post Comment">'
               f'<input type="hidden" name="comment_post_ID" value="{a.post_id}"></p></form></div>')
    out.append('</div><!-- #comments -->')
    return "\n".join(out) + "\n"


def render_wordpress(a: Article, c: Corpus) -> bytes:
    r = a.rng("wp")
    accent = r.choice(ACCENTS)
    pub = a.published_iso()
    mod = a.modified_iso()
    title = esc(a.title)
    desc = esc(a.summary)
    cls_terms = " ".join([f"category-{slugify(a.category)}"]
                         + [f"category-{slugify(x)}" for x in a.regions]
                         + [f"tag-{slugify(x)}" for x in a.countries + a.tags])
    wp_ver = r.choice(["4.9.8", "5.2.4", "5.4.2", "5.5.1", "5.8.3", "6.1.1"])

    h = ['<!DOCTYPE html>', '<html lang="en-US" class="no-js">', '<head>',
         '<meta charset="utf-8">',
         '<meta name="viewport" content="width=device-width, initial-scale=1">',
         '<link rel="profile" href="https://gmpg.org/xfn/11">',
         f'<title>{title} – {SITE_NAME}</title>',
         '<meta name="robots" content="index, follow, max-image-preview:large, max-snippet:-1">',
         f'<meta name="description" content="{desc}">',
         f'<link rel="canonical" href="{a.abs_url}">',
         '<meta property="og:locale" content="en_US">',
         '<meta property="og:type" content="article">',
         f'<meta property="og:title" content="{title} – {SITE_NAME}">',
         f'<meta property="og:description" content="{desc}">',
         f'<meta property="og:url" content="{a.abs_url}">',
         f'<meta property="og:site_name" content="{SITE_NAME}">',
         '<meta property="article:publisher" content="https://www.facebook.com/haldeninstitute">',
         f'<meta property="article:published_time" content="{pub}">']
    if mod:
        h.append(f'<meta property="article:modified_time" content="{mod}">')
    h.append(f'<meta property="article:section" content="{esc(a.category)}">')
    for t in a.tags:
        h.append(f'<meta property="article:tag" content="{esc(t)}">')
    h += [f'<meta property="og:image" content="{BASE_URL}/wp-content/uploads/{a.date:%Y}/{a.date:%m}/{a.slug}-1200x630.jpg">',
          '<meta property="og:image:width" content="1200">',
          '<meta property="og:image:height" content="630">',
          '<meta name="twitter:card" content="summary_large_image">',
          '<meta name="twitter:site" content="@haldeninstitute">',
          f'<meta name="generator" content="WordPress {wp_ver}">',
          f'<link rel="alternate" type="application/rss+xml" title="{SITE_NAME} » Feed" href="{BASE_URL}/feed/">',
          f'<link rel="shortlink" href="{BASE_URL}/?p={a.post_id}">',
          f"<link rel='stylesheet' id='halden-style-css' href='/wp-content/themes/halden/style.css?ver={wp_ver}' media='all'>",
          '<style id="halden-inline-css">',
          base_css(accent)
          + ".site-header{border-bottom:4px solid var(--accent);padding:1em 2em}\n"
          ".site-title{font-size:2em;font-weight:bold;margin:0}\n"
          ".site-content{display:flex;gap:3em;max-width:1200px;margin:0 auto}\n"
          ".content-area{flex:3}.widget-area{flex:1;font-size:15px}\n"
          ".entry-title{font-size:2.4em;line-height:1.15}\n"
          ".read-also{background:#f6f6f6;border-left:3px solid var(--accent);padding:.6em 1em;margin:1.5em 0}\n"
          ".sharedaddy a{display:inline-block;margin-right:.5em;padding:.2em .6em;border:1px solid #ccc}\n"
          ".author-info{display:flex;gap:1em;border-top:1px solid #ddd;padding-top:1em}\n",
          '</style>',
          '<script>', analytics_script(a, "wordpress"), '</script>',
          '</head>',
          f'<body class="post-template-default single single-post postid-{a.post_id} single-format-standard">',
          cookie_banner(a),
          '<div id="page" class="site">',
          '<a class="skip-link screen-reader-text" href="#content">Skip to content</a>',
          '<header id="masthead" class="site-header">',
          '<div class="top-bar"><ul class="top-links"><li><a href="/support-us/">Support our work</a></li>'
          '<li><a href="/events/">Events</a></li><li><a href="/podcast/">Podcast</a></li>'
          '<li><a href="/wp-login.php">Log in</a></li></ul></div>',
          '<div class="site-branding">',
          '<p class="site-title"><a href="/" rel="home">Halden Institute</a></p>',
          '<p class="site-description">for Global Affairs — independent analysis since 2014</p>',
          '</div><!-- .site-branding -->',
          '<nav id="site-navigation" class="main-navigation" aria-label="Primary">',
          '<button class="menu-toggle" aria-controls="primary-menu" aria-expanded="false">Menu</button>',
          region_menu("menu nav-menu", "sub-menu",
                      lambda rg: f"/category/{slugify(rg)}/",
                      lambda rg, ct: f"/tag/{slugify(ct)}/").replace(
                          '<ul class="menu nav-menu">', '<ul id="primary-menu" class="menu nav-menu">', 1),
          '</nav><!-- #site-navigation -->',
          '<form role="search" method="get" class="search-form" action="/">'
          '<label><span class="screen-reader-text">Search for:</span>'
          '<input type="search" class="search-field" placeholder="Search …" value="" name="s"></label>'
          '<input type="submit" class="search-submit" value="Search"></form>',
          '<div class="trending"><span>Trending:</span> '
          + " · ".join(f'<a href="/topics/{slugify(t)}/">{t}</a>' for t in r.choice(TRENDING_BARS))
          + '</div>',
          '</header><!-- #masthead -->',
          '<div id="content" class="site-content">',
          '<div id="primary" class="content-area">',
          '<main id="main" class="site-main">',
          f'<article id="post-{a.post_id}" class="post-{a.post_id} post type-post status-publish '
          f'format-standard has-post-thumbnail hentry {cls_terms}">',
          '<header class="entry-header">']
    cats = [f'<a href="/category/{slugify(a.category)}/" rel="category tag">{esc(a.category)}</a>']
    cats += [f'<a href="/category/{slugify(x)}/" rel="category tag">{esc(x)}</a>' for x in a.regions]
    h.append(f'<span class="cat-links">{", ".join(cats)}</span>')
    h.append(f'<h1 class="entry-title">{title}</h1>')
    times = f'<time class="entry-date published" datetime="{pub}">{date_us(a.date)}</time>'
    if mod:
        times += f'<time class="updated" datetime="{mod}">{date_us(a.updated)}</time>'
    h.append('<div class="entry-meta">'
             f'<span class="posted-on">Posted on <a href="{a.url}" rel="bookmark">{times}</a></span>'
             '<span class="byline"> by <span class="author vcard">'
             f'<a class="url fn n" href="/author/{slugify(a.author)}/">{esc(a.author)}</a></span></span>'
             f'<span class="comments-link"><a href="{a.url}#comments">'
             f'{len(a.comments) or "No"} Comment{"" if len(a.comments) == 1 else "s"}</a></span>'
             '</div><!-- .entry-meta -->')
    h.append('</header><!-- .entry-header -->')
    h.append(f'<div class="post-thumbnail"><img width="1200" height="630" '
             f'src="/wp-content/uploads/{a.date:%Y}/{a.date:%m}/{a.slug}-1200x630.jpg" '
             'class="attachment-post-thumbnail wp-post-image" alt="" loading="lazy"></div>')
    share_q = urllib.parse.quote(a.abs_url, safe="")
    share_t = urllib.parse.quote(a.title, safe="")
    share = ('<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Share this:</h3><ul>'
             f'<li><a class="share-twitter" href="https://x.com/intent/tweet?url={share_q}&amp;text={share_t}" target="_blank">Share on X</a></li>'
             f'<li><a class="share-facebook" href="https://www.facebook.com/sharer.php?u={share_q}" target="_blank">Facebook</a></li>'
             f'<li><a class="share-linkedin" href="https://www.linkedin.com/shareArticle?mini=true&amp;url={share_q}" target="_blank">LinkedIn</a></li>'
             f'<li><a class="share-email" href="mailto:?subject={share_t}&amp;body={share_q}">Email</a></li>'
             '<li><a class="share-print" href="#print">Print</a></li></ul></div>')
    h.append(share)
    h.append('<div class="entry-content">')
    h.append(wp_body(a, c))
    h.append('</div><!-- .entry-content -->')
    tags = [f'<a href="/tag/{slugify(x)}/" rel="tag">{esc(x)}</a>' for x in a.countries + a.tags]
    h.append('<footer class="entry-footer">'
             + (f'<span class="tags-links">Tagged {", ".join(tags)}</span>' if tags else "")
             + f'<span class="edit-link"><a class="post-edit-link" href="/wp-admin/post.php?post={a.post_id}&amp;action=edit">Edit</a></span>'
             '</footer><!-- .entry-footer -->')
    h.append(share.replace("sd-sharing-enabled", "sd-sharing-enabled sd-bottom"))
    h.append('<div class="author-info"><div class="author-avatar">'
             f'<img alt="" src="/wp-content/avatars/{slugify(a.author)}.png" height="80" width="80"></div>'
             f'<div class="author-description"><h2 class="author-title">About {esc(a.author)}</h2>'
             f'<p class="author-bio">{esc(c.author_bio(a))} '
             f'<a class="author-link" href="/author/{slugify(a.author)}/" rel="author">'
             f'View all posts by {esc(a.author)}</a></p></div></div>')
    h.append(f'</article><!-- #post-{a.post_id} -->')
    prev, nxt = c.prev_next(a)
    nav = ['<nav class="navigation post-navigation" aria-label="Posts">',
           '<h2 class="screen-reader-text">Post navigation</h2><div class="nav-links">']
    if prev:
        nav.append(f'<div class="nav-previous"><a href="{prev.url}" rel="prev">'
                   f'<span class="meta-nav">Previous post</span> <span class="post-title">{esc(prev.title)}</span></a></div>')
    if nxt:
        nav.append(f'<div class="nav-next"><a href="{nxt.url}" rel="next">'
                   f'<span class="meta-nav">Next post</span> <span class="post-title">{esc(nxt.title)}</span></a></div>')
    nav.append('</div></nav>')
    h.append("\n".join(nav))
    h.append(wp_comments(a))
    h.append('</main><!-- #main -->')
    h.append('</div><!-- #primary -->')
    # sidebar
    h.append('<aside id="secondary" class="widget-area">')
    h.append('<section class="widget widget_search"><form role="search" method="get" action="/">'
             '<input type="search" name="s" placeholder="Search the archive"><button>Go</button></form></section>')
    h.append('<section class="widget widget_related"><h3 class="widget-title">Related articles</h3><ul>')
    for b in c.related(a):
        h.append(f'<li><a href="{b.url}">{esc(b.title)}</a></li>')
    h.append('</ul></section>')
    h.append('<section class="widget widget_most_read"><h3 class="widget-title">Most read</h3><ol>')
    for b in c.most_read(a):
        h.append(f'<li><a href="{b.url}">{esc(b.title)}</a> <span class="post-date">{date_us(b.date)}</span></li>')
    h.append('</ol></section>')
    h.append(newsletter_box(a, "section"))
    h.append(tag_cloud_widget(c))
    h.append(events_widget(a))
    h.append('</aside><!-- #secondary -->')
    h.append('</div><!-- #content -->')
    h.append(footer_html(a, lambda rg: f"/category/{slugify(rg)}/"))
    h.append('</div><!-- #page -->')
    h.append(f"<script src='/wp-includes/js/wp-embed.min.js?ver={wp_ver}' id='wp-embed-js'></script>")
    h.append('</body>\n</html>\n')
    return "\n".join(h).encode("utf-8")


# --------------------------------------------------------------------------
# Template 2: JSON-LD newsroom CMS
# --------------------------------------------------------------------------

def render_jsonld(a: Article, c: Corpus) -> bytes:
    r = a.rng("jsonld")
    accent = r.choice(ACCENTS)
    pub = a.published_iso()
    mod = a.modified_iso()
    title = esc(a.title)
    canonical = f"{BASE_URL}/analysis/{a.slug}"
    image = f"{BASE_URL}/media/{a.date:%Y}/{a.date:%m}/{a.slug}-hero.jpg"
    region = a.regions[0]
    country = a.countries[0] if a.countries else None

    article_ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a.title,
        "description": a.summary,
        "image": [image],
        "datePublished": pub,
    }
    if mod:
        article_ld["dateModified"] = mod
    article_ld.update({
        "author": {"@type": "Person", "name": a.author,
                   "url": f"{BASE_URL}/people/{slugify(a.author)}"},
        "publisher": {"@type": "Organization", "name": SITE_NAME,
                      "logo": {"@type": "ImageObject",
                               "url": f"{BASE_URL}/static/img/halden-logo-600x60.png"}},
        "articleSection": a.category,
        "keywords": a.tags + a.countries,
        "inLanguage": "en-GB",
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
    })
    crumbs = [("Home", f"{BASE_URL}/"), (region, f"{BASE_URL}/region/{slugify(region)}")]
    if country:
        crumbs.append((country, f"{BASE_URL}/region/{slugify(region)}/{slugify(country)}"))
    crumb_ld = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [{"@type": "ListItem", "position": i + 1, "name": n, "item": u}
                            for i, (n, u) in enumerate(crumbs)],
    }

    h = ['<!doctype html>', '<html lang="en-GB">', '<head>', '<meta charset="utf-8">',
         '<meta name="viewport" content="width=device-width, initial-scale=1">',
         f'<title>{title} | {SITE_NAME}</title>',
         f'<meta name="description" content="{esc(a.summary)}">',
         f'<link rel="canonical" href="{canonical}">',
         f'<meta property="og:type" content="article">',
         f'<meta property="og:title" content="{title}">',
         f'<meta property="og:image" content="{image}">',
         '<meta name="twitter:card" content="summary_large_image">',
         '<link rel="preconnect" href="https://fonts.halden.example">',
         '<link rel="stylesheet" href="/static/css/site.3f9c2a.css">',
         '<script type="application/ld+json">', json_script(article_ld), '</script>',
         '<script type="application/ld+json">', json_script(crumb_ld), '</script>',
         '<style>',
         base_css(accent)
         + ".masthead{display:flex;align-items:center;justify-content:space-between;padding:.8em 2em;border-bottom:1px solid #ddd}\n"
         ".logo{font:700 1.6em/1 'Helvetica Neue',Arial,sans-serif;letter-spacing:.04em}\n"
         ".breadcrumb ol{list-style:none;display:flex;gap:.4em;padding:0;font-size:14px}\n"
         ".breadcrumb li+li:before{content:'›';margin-right:.4em;color:var(--muted)}\n"
         ".layout{display:grid;grid-template-columns:minmax(0,2fr) minmax(0,1fr);gap:3em;max-width:1180px;margin:0 auto}\n"
         ".story h1{font:700 2.5em/1.1 'Helvetica Neue',Arial,sans-serif}\n"
         ".byline{color:var(--muted);font-size:15px}\n"
         ".ad-slot{min-height:250px;background:#f4f4f4;color:#999;text-align:center;font:12px Arial;"
         "text-transform:uppercase;letter-spacing:.1em;margin:2em 0}\n"
         ".more-stories{grid-column:1/-1;display:grid;grid-template-columns:repeat(4,1fr);gap:1.5em}\n"
         ".card{border-top:3px solid var(--accent);padding-top:.6em}\n",
         '</style>',
         '<script>', analytics_script(a, "newsroom"),
         "window.googletag=window.googletag||{cmd:[]};googletag.cmd.push(function(){"
         "googletag.defineSlot('/2291/halden/article_mid',[300,250],'ad-mid').addService(googletag.pubads());"
         "googletag.enableServices();});\n",
         '</script>',
         '</head>',
         f'<body class="page-article section-{slugify(a.category)}">',
         cookie_banner(a),
         '<a class="skip" href="#main">Skip to main content</a>',
         '<header class="masthead" role="banner">',
         '<a class="logo" href="/" aria-label="Halden Institute home">HALDEN<span>Institute for Global Affairs</span></a>',
         '<nav class="primary-nav" aria-label="Main">',
         region_menu("nav-list", "nav-sub",
                     lambda rg: f"/region/{slugify(rg)}",
                     lambda rg, ct: f"/region/{slugify(rg)}/{slugify(ct)}"),
         '</nav>',
         '<form class="site-search" role="search" action="/search" method="get">'
         '<label class="visually-hidden" for="q">Search Halden</label>'
         '<input id="q" type="search" name="q" placeholder="Search analysis, people, places">'
         '<button type="submit" aria-label="Search">⌕</button></form>',
         '<a class="subscribe-btn" href="/newsletters">Newsletters</a>',
         '</header>',
         '<main id="main">']
    crumb_items = [f'<li><a href="/">Home</a></li>',
                   f'<li><a href="/region/{slugify(region)}">{esc(region)}</a></li>']
    if country:
        crumb_items.append(f'<li><a href="/region/{slugify(region)}/{slugify(country)}" '
                           f'aria-current="page">{esc(country)}</a></li>')
    h.append('<nav class="breadcrumb" aria-label="Breadcrumb"><ol>' + "".join(crumb_items) + '</ol></nav>')
    h.append('<div class="layout">')
    h.append('<article class="story">')
    h.append('<header>')
    h.append(f'<p class="kicker"><a href="/section/{slugify(a.category)}">{esc(a.category)}</a></p>')
    h.append(f'<h1>{title}</h1>')
    h.append(f'<p class="byline">By <a rel="author" href="/people/{slugify(a.author)}">{esc(a.author)}</a>'
             f' · <time datetime="{pub}">{date_gb_short(a.date)}</time></p>')
    if mod:
        h.append(f'<p class="updated">Updated <time datetime="{mod}">{date_gb_short(a.updated)}</time></p>')
    h.append('</header>')
    place = country or region
    caption = r.choice(CAPTIONS).format(place=place)
    h.append(f'<figure class="lead-image"><img src="{image}" alt="" width="1200" height="675" loading="eager">'
             f'<figcaption>{esc(caption)} <span class="credit">Photo: {r.choice(PHOTO_CREDITS)}</span></figcaption></figure>')
    h.append('<div class="article-body">')
    n_paras = len(a.paragraphs)
    ad_after = max(1, n_paras // 2)
    seen = 0
    for b in a.blocks:
        if b.kind == "p":
            h.append(f"<p>{esc(b.text)}</p>")
            seen += 1
            if seen == ad_after and n_paras > 1:
                h.append('<div class="ad-slot" id="ad-mid" aria-hidden="true">Advertisement</div>')
        elif b.kind == "h2":
            h.append(f"<h2>{esc(b.text)}</h2>")
        elif b.kind == "ul":
            h.append("<ul>" + "".join(f"<li>{esc(i)}</li>" for i in b.items) + "</ul>")
        elif b.kind == "quote":
            h.append(f'<blockquote class="pullquote"><p>{esc(b.text)}</p></blockquote>')
    h.append('</div>')
    topics = [f'<a href="/topic/{slugify(t)}">{esc(t)}</a>' for t in a.tags]
    if topics:
        h.append('<footer class="story-footer"><span class="label">Topics:</span> ' + " ".join(topics) + '</footer>')
    h.append('</article>')
    # sidebar
    h.append('<div class="sidebar">')
    h.append('<section class="related"><h2>Related articles</h2><ul>')
    for b in c.related(a):
        h.append(f'<li><a href="{b.url}">{esc(b.title)}</a></li>')
    h.append('</ul></section>')
    h.append('<section class="most-read"><h2>Most read</h2><ol>')
    for b in c.most_read(a):
        h.append(f'<li><a href="{b.url}">{esc(b.title)}</a> <time datetime="{b.date.isoformat()}">{date_gb_short(b.date)}</time></li>')
    h.append('</ol></section>')
    h.append(newsletter_box(a))
    h.append(events_widget(a))
    h.append('</div>')
    # more stories (trap: more <article> elements)
    h.append('<aside class="more-stories" aria-label="More stories"><h2>More from Halden</h2>')
    for b in c.more_stories(a):
        h.append(f'<article class="card"><p class="card-kicker">{esc(b.category)}</p>'
                 f'<h3><a href="{b.url}">{esc(b.title)}</a></h3>'
                 f'<p class="card-summary">{esc(b.summary)}</p></article>')
    h.append('</aside>')
    h.append('</div>')
    # comments
    h.append('<section class="comments" id="comments">')
    h.append(f'<h2>Comments ({len(a.comments)})</h2>')
    if a.comments:
        h.append('<ul class="comment-thread">')
        for cm in a.comments:
            h.append(f'<li class="comment"><p class="comment-meta"><span class="comment-author">{esc(cm.name)}</span> '
                     f'<time datetime="{cm.date.isoformat()}">{date_gb_short(cm.date)}</time></p>'
                     f'<p class="comment-text">{esc(cm.text)}</p></li>')
        h.append('</ul>')
    else:
        h.append('<p class="no-comments">Be the first to comment.</p>')
    h.append('<p class="comment-policy">Comments are moderated. Please read our <a href="/community-guidelines">community guidelines</a>.</p>')
    h.append('</section>')
    h.append('</main>')
    h.append(footer_html(a, lambda rg: f"/region/{slugify(rg)}"))
    h.append('<script src="/static/js/site.7be21d.js" defer></script>')
    h.append('</body>\n</html>\n')
    return "\n".join(h).encode("utf-8")


# --------------------------------------------------------------------------
# Template 3: legacy HTML 4.01 table layout, windows-1252
# --------------------------------------------------------------------------

def wrap(text: str, width: int = 76) -> str:
    return "\n".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False))


def render_legacy(a: Article, c: Corpus) -> bytes:
    r = a.rng("legacy")
    bg = r.choice(["#FFFFFF", "#FFFFF7", "#FDFDF8"])
    h = ['<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN" "http://www.w3.org/TR/html4/loose.dtd">',
         '<HTML>', '<HEAD>',
         '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">',
         f'<TITLE>Halden Institute :: {esc(a.title)}</TITLE>',
         '<LINK REL="stylesheet" TYPE="text/css" HREF="/archive/css/halden.css">',
         '<STYLE TYPE="text/css">',
         '<!--',
         "body, td { font-family: Verdana, Arial, Helvetica, sans-serif; font-size: 12px; }\n"
         "a:link { color: #003366; } a:visited { color: #663366; }\n"
         ".nav { background-color: #E8E4D8; } .nav a { text-decoration: none; font-weight: bold; }\n"
         ".nav .sub { font-weight: normal; font-size: 11px; padding-left: 10px; }\n"
         ".right { background-color: #F3F1EA; }\n"
         ".small { font-size: 10px; color: #666666; }\n"
         ".cookie-banner { background: #333333; color: #FFFFFF; padding: 8px; }\n"
         ".story { font-family: Georgia, 'Times New Roman', serif; font-size: 14px; }",
         '-->',
         '</STYLE>',
         '<SCRIPT LANGUAGE="JavaScript" TYPE="text/javascript">',
         '<!--',
         analytics_script(a, "legacy").rstrip(),
         "function popUp(URL) { window.open(URL, 'halden', 'toolbar=0,scrollbars=1,width=480,height=560'); }",
         '// -->',
         '</SCRIPT>',
         '</HEAD>',
         f'<BODY BGCOLOR="{bg}" TEXT="#000000" LINK="#003366" VLINK="#663366" LEFTMARGIN="0" TOPMARGIN="0" MARGINWIDTH="0" MARGINHEIGHT="0">',
         cookie_banner(a),
         '<TABLE WIDTH="100%" BORDER="0" CELLSPACING="0" CELLPADDING="0">',
         '<TR><TD BGCOLOR="#1F3A5C" HEIGHT="70">&nbsp;&nbsp;<FONT COLOR="#FFFFFF" SIZE="+3" FACE="Georgia"><B>HALDEN INSTITUTE</B></FONT>'
         '<FONT COLOR="#C8D3E0" SIZE="-1">&nbsp;for Global Affairs</FONT></TD>',
         '<TD BGCOLOR="#1F3A5C" ALIGN="right" VALIGN="middle">'
         '<FORM ACTION="/cgi-bin/search.pl" METHOD="GET"><FONT COLOR="#FFFFFF" SIZE="-1">Search:</FONT> '
         '<INPUT TYPE="text" NAME="q" SIZE="18"> <INPUT TYPE="submit" VALUE="Go"></FORM>&nbsp;</TD></TR>',
         '<TR><TD COLSPAN="2" BGCOLOR="#C8D3E0"><FONT SIZE="-1">&nbsp;'
         + " | ".join(f'<A HREF="/archive/regions/{slugify(rg)}.htm">{esc(rg)}</A>' for rg in REGIONS)
         + ' | <A HREF="/archive/topics.htm">Topics</A> | <A HREF="/archive/about.htm">About</A></FONT></TD></TR>',
         '</TABLE>',
         '<TABLE WIDTH="100%" BORDER="0" CELLSPACING="0" CELLPADDING="6">',
         '<TR>',
         '<TD CLASS="nav" WIDTH="170" VALIGN="top">']
    # left column: every region with its countries, then topics
    h.append('<B>REGIONS</B><BR>')
    for rg, countries in REGIONS.items():
        h.append(f'<A HREF="/archive/regions/{slugify(rg)}.htm">{esc(rg)}</A><BR>')
        for ct in countries:
            h.append(f'<SPAN CLASS="sub"><A HREF="/archive/countries/{slugify(ct)}.htm">{esc(ct)}</A></SPAN><BR>')
    h.append('<BR><B>TOPICS</B><BR>')
    for t in TOPICS:
        h.append(f'<A HREF="/archive/topics/{slugify(t)}.htm">{esc(t)}</A><BR>')
    h.append('<BR><A HREF="/archive/index.htm">Archive home</A><BR>'
             '<A HREF="/contact/">Contact</A><BR><BR>'
             '<IMG SRC="/archive/img/spacer.gif" WIDTH="150" HEIGHT="1" ALT="">')
    h.append('</TD>')
    # main column
    h.append('<TD VALIGN="top" CLASS="story">')
    h.append(f'<FONT SIZE="+2"><B>{esc(a.title)}</B></FONT><BR>')
    h.append(f'<FONT SIZE="-1">by <I>{esc(a.author)}</I></FONT><BR>')
    if a.updated:
        h.append(f'<FONT SIZE="-1" COLOR="#990000">Last updated: {date_gb_long(a.updated)}</FONT><BR>')
    h.append(f'<FONT SIZE="-1">Published {date_gb_long(a.date)}</FONT><BR>')
    filed = a.regions + a.countries + [a.category]
    h.append(f'<FONT SIZE="-1">Filed under: {" · ".join(esc(x) for x in filed)}</FONT>')
    h.append('<HR NOSHADE SIZE="1">')
    for b in a.blocks:
        if b.kind == "p":
            h.append("<P>" + wrap(esc(b.text)))
        elif b.kind == "h2":
            h.append(f"<P><B>{esc(b.text)}</B>")
        elif b.kind == "ul":
            h.append("<UL>\n" + "\n".join(f"<LI>{wrap(esc(i))}" for i in b.items) + "\n</UL>")
        elif b.kind == "quote":
            h.append(f"<BLOCKQUOTE><I>{wrap(esc(b.text))}</I></BLOCKQUOTE>")
    h.append('<P><FONT SIZE="-1">[<A HREF="javascript:window.print()">Print this page</A>] '
             f'[<A HREF="javascript:popUp(\'/cgi-bin/mail.pl?url={urllib.parse.quote(a.url)}\')">E-mail to a friend</A>]</FONT>')
    # comments
    h.append('<HR NOSHADE SIZE="1">')
    h.append(f'<B>Readers’ comments ({len(a.comments)})</B><BR>')
    if a.comments:
        h.append('<TABLE WIDTH="100%" BORDER="0" CELLSPACING="1" CELLPADDING="4" BGCOLOR="#CCCCCC">')
        for cm in a.comments:
            h.append(f'<TR><TD BGCOLOR="#F7F7F7"><B>{esc(cm.name)}</B> wrote on {date_gb_long(cm.date)}:<BR>'
                     f'{wrap(esc(cm.text))}</TD></TR>')
        h.append('</TABLE>')
    else:
        h.append('<FONT SIZE="-1">No comments yet.</FONT>')
    h.append('<P><FORM ACTION="/cgi-bin/comment.pl" METHOD="POST">Name: <INPUT NAME="name" SIZE="20"><BR>'
             '<TEXTAREA NAME="text" ROWS="4" COLS="50"></TEXTAREA><BR>'
             f'<INPUT TYPE="hidden" NAME="id" VALUE="{a.post_id}"><INPUT TYPE="submit" VALUE="Post comment"></FORM>')
    # other stories
    h.append('<HR NOSHADE SIZE="1">')
    h.append('<B>Other stories</B>')
    h.append('<UL>')
    for b in c.other_stories(a):
        h.append(f'<LI><A HREF="{b.url}">{esc(b.title)}</A> <FONT CLASS="small">({date_gb_long(b.date)})</FONT>')
    h.append('</UL>')
    h.append('</TD>')
    # right column
    h.append('<TD CLASS="right" WIDTH="200" VALIGN="top">')
    h.append('<B>Related articles</B><BR>')
    for b in c.related(a):
        h.append(f'&#149; <A HREF="{b.url}">{esc(b.title)}</A><BR>')
    h.append('<BR><B>Most read</B><BR>')
    for i, b in enumerate(c.most_read(a), 1):
        h.append(f'{i}. <A HREF="{b.url}">{esc(b.title)}</A> <SPAN CLASS="small">{date_gb_long(b.date)}</SPAN><BR>')
    h.append('<BR><TABLE BORDER="0" CELLPADDING="4" CELLSPACING="0" WIDTH="100%" BGCOLOR="#FFFFFF">'
             '<TR><TD><div class="newsletter"><B>Weekly briefing</B><BR>'
             f'{esc(NEWSLETTER)}.<BR>'
             '<FORM ACTION="/cgi-bin/subscribe.pl" METHOD="POST">E-mail: <INPUT TYPE="text" NAME="email" SIZE="14">'
             '<INPUT TYPE="submit" VALUE="Subscribe"></FORM></div></TD></TR></TABLE>')
    h.append('</TD>')
    h.append('</TR>')
    h.append('</TABLE>')
    # footer
    h.append('<TABLE WIDTH="100%" BORDER="0" CELLSPACING="0" CELLPADDING="8" BGCOLOR="#1F3A5C"><TR><TD ALIGN="center">')
    h.append('<FONT COLOR="#FFFFFF" SIZE="-1">'
             + " · ".join(f'<A HREF="/archive/regions/{slugify(rg)}.htm"><FONT COLOR="#FFFFFF">{esc(rg)}</FONT></A>' for rg in REGIONS)
             + '<BR><A HREF="/about/"><FONT COLOR="#FFFFFF">About</FONT></A> | '
             '<A HREF="/contact/"><FONT COLOR="#FFFFFF">Contact</FONT></A> | '
             + " | ".join(f'<A HREF="{href}"><FONT COLOR="#FFFFFF">{esc(n)}</FONT></A>' for n, href in SOCIAL)
             + f'<BR>{esc(COPYRIGHT)}. All rights reserved.</FONT>')
    h.append('</TD></TR></TABLE>')
    h.append('</BODY>\n</HTML>\n')
    text = "\r\n".join("\n".join(h).split("\n"))    # old CMS: CRLF line endings
    return text.encode("cp1252", errors="xmlcharrefreplace")


RENDERERS = {"wordpress": render_wordpress, "jsonld": render_jsonld, "legacy": render_legacy}


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--keep-going", action="store_true",
                    help="skip invalid source files instead of failing")
    ap.add_argument("--check", action="store_true",
                    help="validate the sources only; write nothing")
    args = ap.parse_args(argv)

    articles, errors = [], []
    for path in sorted(SRC_DIR.glob("*.md")):
        try:
            articles.append(load_article(path))
        except (SourceError, UnicodeDecodeError) as e:
            errors.append(f"{path.relative_to(ROOT)}: {e}")
    slugs: dict[str, Path] = {}
    for a in articles:
        if a.slug in slugs:
            errors.append(f"duplicate slug {a.slug!r}")
        slugs[a.slug] = a.source
    for e in errors:
        print(f"error: {e}", file=sys.stderr)
    if errors and not args.keep_going:
        print(f"{len(errors)} error(s); nothing written (use --keep-going to skip bad files)",
              file=sys.stderr)
        return 1
    if args.check:
        print(f"{len(articles)} article(s) OK")
        return 0
    if not articles:
        print("no articles found", file=sys.stderr)
        return 1

    corpus = Corpus(articles)
    if SITE_DIR.exists():
        shutil.rmtree(SITE_DIR)
    counts = {t: 0 for t in TEMPLATES}
    for a in corpus.articles:
        data = RENDERERS[a.template](a, corpus)
        a.out_path.parent.mkdir(parents=True, exist_ok=True)
        a.out_path.write_bytes(data)
        counts[a.template] += 1
    print(f"wrote {len(corpus.articles)} page(s) under {SITE_DIR.relative_to(ROOT)}/ "
          + "(" + ", ".join(f"{n} {t}" for t, n in counts.items()) + ")")
    return 0


if __name__ == "__main__":
    sys.exit(main())
