"""Tests for portal.markdown: XSS corpus, rendering, limits and plain-text excerpts."""

from __future__ import annotations

import html
import re
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser

import pytest
from markupsafe import Markup

from portal.markdown import (
    MAX_MARKDOWN_BYTES,
    MarkdownTooLarge,
    render_markdown,
    render_plain_excerpt,
)

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "del", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "a", "img",
    "table", "thead", "tbody", "tr", "th", "td", "sup", "sub", "abbr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "rel"},
    "img": {"src", "alt", "title"},
    "abbr": {"title"},
}
FORBIDDEN_TAGS = (
    "script", "svg", "iframe", "object", "embed", "style", "form", "input", "base", "meta",
    "link", "math", "details", "button", "textarea", "frameset", "video", "audio", "source",
    "marquee", "isindex", "template", "noscript", "body",
)  # fmt: skip
SAFE_SCHEMES = {"http", "https", "mailto"}
REL = "nofollow noopener noreferrer"
DATA_URI = "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="

XSS_PAYLOADS = [
    ("script", "<script>alert(1)</script>"),
    ("script-mixed-case", "<sCrIpT>alert(1)</ScRiPt>"),
    ("script-src", "<SCRIPT SRC=http://xss.example/xss.js></SCRIPT>"),
    ("script-split", "<scr<script>ipt>alert(1)</scr</script>ipt>"),
    ("script-in-paragraph", "Hello <script>alert(1)</script> world"),
    ("img-onerror", "<img src=x onerror=alert(1)>"),
    ("img-onerror-unclosed", "<img src=x onerror=alert(1)//"),
    ("img-eval-src", "<img src=x:alert(alt) onerror=eval(src) alt=0>"),
    ("img-js-cr", "<IMG SRC=\"jav&#x0D;ascript:alert('XSS');\">"),
    ("img-js-src", '<img src="javascript:alert(1)">'),
    ("img-srcset", '<img srcset="javascript:alert(1)" src="https://example.com/a.png">'),
    ("img-quote-break", '<img """><script>alert(1)</script>">'),
    ("md-link-js", "[x](javascript:alert(1))"),
    ("md-link-js-case", "[x](JaVaScRiPt:alert(1))"),
    ("md-link-js-tab-entity", "[x](java&#x09;script:alert(1))"),
    ("md-link-js-spaces-title", '[x](  javascript:alert(1) "t")'),
    ("md-link-js-angle", "[x](<javascript:alert(1)>)"),
    ("md-link-js-colon-entity", "[x](javascript&colon;alert(1))"),
    (
        "md-link-js-decimal-entities",
        "[x](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))",
    ),
    ("md-link-js-unclosed", "[x](javascript:alert(1)"),
    ("md-link-vbscript", "[x](vbscript:msgbox(1))"),
    ("md-link-data", f"[x]({DATA_URI})"),
    ("md-link-title-breakout", '[x](https://example.com "\\"onmouseover=alert(1) x=\\"")'),
    ("md-image-js", "![x](javascript:alert(1))"),
    ("md-image-data-svg", "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)"),
    ("md-image-src-breakout", '![x](https://example.com/a.png"onerror="alert(1))'),
    ("md-ref-link-js", "[x][ref]\n\n[ref]: javascript:alert(1)"),
    ("md-ref-image-js", "![x][ref]\n\n[ref]: javascript:alert(1)"),
    ("md-short-ref-js", '[ref]\n\n[ref]: javascript:alert(1) "title"'),
    ("autolink-js", "<javascript:alert(1)>"),
    ("autolink-js-upper", "<JAVASCRIPT:alert(1)>"),
    ("autolink-data", f"<{DATA_URI}>"),
    ("abbr-title-breakout", '*[XSS]: "><script>alert(1)</script>\n\nXSS here'),
    ("svg-script", "<svg><script>alert(1)</script></svg>"),
    ("svg-onload", "<svg onload=alert(1)>"),
    ("svg-xlink", '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>'),
    ("svg-animate", "<svg><animate onbegin=alert(1) attributeName=x dur=1s>"),
    ("a-data-uri", f'<a href="{DATA_URI}">x</a>'),
    ("a-js-leading-space", '<a href=" javascript:alert(1)">x</a>'),
    ("a-js-hex-entity", '<a href="&#x6A;avascript:alert(1)">x</a>'),
    ("a-js-newline-entity", '<a href="jav&#x0A;ascript:alert(1)">x</a>'),
    ("a-js-colon-entity", '<a href="javascript&#58;alert(1)">x</a>'),
    ("a-js-control-char", '<a href="\x01javascript:alert(1)">x</a>'),
    (
        "a-js-padded-entities",
        '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114'
        '&#0000105&#0000112&#0000116&#0000058alert(1)">x</a>',
    ),
    ("a-js-unclosed", '<a href="javascript:alert(1)'),
    ("a-js-wrapping-img", '<a href="javascript:alert(1)"><img src=x></a>'),
    ("a-nested-quotes", "<a href='x' title='\"><script>alert(1)</script>'>x</a>"),
    ("a-onmouseover", '<a href="https://example.com/" onmouseover="alert(1)">x</a>'),
    ("a-onmouseover-unquoted", "<a href=x onmouseover=alert(1)//>x</a>"),
    ("a-style-expression", '<a href="https://example.com/" style="x:expression(alert(1))">x</a>'),
    ("div-style-expression", '<div style="width:expression(alert(1))">x</div>'),
    ("mailto-script-body", '<a href="mailto:x@example.com?body=<script>alert(1)</script>">x</a>'),
    ("iframe-js", '<iframe src="javascript:alert(1)"></iframe>'),
    ("iframe-srcdoc", '<iframe srcdoc="<script>alert(1)</script>"></iframe>'),
    ("object-js", '<object data="javascript:alert(1)"></object>'),
    ("object-data-uri", f'<object data="{DATA_URI}">fallback</object>'),
    ("embed-js", '<embed src="javascript:alert(1)">'),
    ("style-tag", "<style>body{background:url(javascript:alert(1))}</style>"),
    ("math-href", '<math href="javascript:alert(1)">x</math>'),
    (
        "math-maction",
        '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction>'
        "</math>",
    ),
    ("math-mxss", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"),
    ("details-ontoggle", "<details open ontoggle=alert(1)>x</details>"),
    ("form-action", '<form action="javascript:alert(1)"><input type=submit></form>'),
    ("input-onfocus", "<input autofocus onfocus=alert(1)>"),
    ("button-formaction", "<button formaction=javascript:alert(1)>x</button>"),
    ("isindex", "<isindex action=javascript:alert(1) type=image>"),
    ("base-href", '<base href="javascript:alert(1)//">'),
    ("meta-refresh", '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'),
    ("link-stylesheet", '<link rel=stylesheet href="javascript:alert(1)">'),
    ("table-background", '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>'),
    ("td-background", "<table><tr><td background=javascript:alert(1)>x</td></tr></table>"),
    ("body-onload", "<body onload=alert(1)>"),
    ("frameset-onload", "<frameset onload=alert(1)>"),
    ("video-source-onerror", "<video><source onerror=alert(1)></video>"),
    ("audio-onerror", "<audio src=x onerror=alert(1)>"),
    ("marquee-onstart", "<marquee onstart=alert(1)>x</marquee>"),
    ("custom-tag-onclick", "<x onclick=alert(1)>click"),
    ("noscript-mxss", '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>'),
    ("comment-mxss", '<!--<img src="--><img src=x onerror=alert(1)//">'),
    ("cdata", "<![CDATA[><img src=x onerror=alert(1)>]]>"),
    ("textarea-script", "<textarea><script>alert(1)</script></textarea>"),
    ("template-script", "<template><script>alert(1)</script></template>"),
    ("code-span-script", "`<script>alert(1)</script>`"),
    ("fenced-code-script", "```html\n<script>alert(1)</script>\n```"),
]


class _TagCollector(HTMLParser):
    """Collect every start tag with its (already unescaped) attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def _tags(output: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = _TagCollector()
    parser.feed(output)
    parser.close()
    return parser.tags


def _url_scheme(url: str) -> str | None:
    cleaned = re.sub(r"[\x00-\x20]", "", html.unescape(url)).lower()
    match = re.match(r"([a-z][a-z0-9+.-]*):", cleaned)
    return match.group(1) if match else None


def _assert_safe(output: Markup) -> None:
    assert isinstance(output, Markup)
    raw = str(output)
    lowered = raw.lower()
    for tag in FORBIDDEN_TAGS:
        assert f"<{tag}" not in lowered, tag
    # Text is always escaped ("&lt;"), so every literal "<...>" is real markup. Inert text
    # such as "[x](javascript:alert(1)" may still mention javascript:, which is harmless.
    markup = html.unescape(" ".join(re.findall(r"<[^>]*>", raw))).lower()
    assert "javascript:" not in markup
    assert "vbscript:" not in markup
    assert "data:" not in markup
    assert not re.search(r"\son[a-z]+\s*=", markup)
    for tag, attrs in _tags(raw):
        assert tag in ALLOWED_TAGS, tag
        for name, value in attrs:
            assert name in ALLOWED_ATTRIBUTES.get(tag, set()), (tag, name)
            assert not name.startswith("on")
            if name in {"href", "src"}:
                assert value is not None
                assert _url_scheme(value) in SAFE_SCHEMES | {None}, value


def test_xss_corpus_is_big_enough() -> None:
    assert len(XSS_PAYLOADS) >= 40
    assert len({name for name, _ in XSS_PAYLOADS}) == len(XSS_PAYLOADS)


@pytest.mark.parametrize(
    "payload", [pytest.param(payload, id=name) for name, payload in XSS_PAYLOADS]
)
def test_xss_payload_is_neutralised(payload: str) -> None:
    _assert_safe(render_markdown(payload))


@pytest.mark.parametrize(
    "payload", [pytest.param(payload, id=name) for name, payload in XSS_PAYLOADS]
)
def test_xss_payload_inside_markdown_structure_is_neutralised(payload: str) -> None:
    wrapped = f"# Title\n\n- item {payload}\n\n> {payload}\n\n| a |\n|---|\n| {payload} |\n"
    _assert_safe(render_markdown(wrapped))


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert('script-body')</script>after",
        "<style>.script-body{color:red}</style>after",
        "<svg><script>alert('script-body')</script></svg>after",
        "<iframe><p>script-body</p></iframe>after",
        "<textarea>script-body</textarea>after",
    ],
)
def test_script_and_style_content_is_removed_not_shown(payload: str) -> None:
    output = render_markdown(payload)
    assert "script-body" not in output
    assert "after" in output


def test_javascript_link_keeps_text_but_loses_href() -> None:
    assert render_markdown("[click me](javascript:alert(1))") == (
        f'<p><a rel="{REL}">click me</a></p>'
    )


def test_headings() -> None:
    output = render_markdown("# One\n\n## Two\n\n### Three\n\n###### Six")
    for level, text in [(1, "One"), (2, "Two"), (3, "Three"), (6, "Six")]:
        assert f"<h{level}>{text}</h{level}>" in output


def test_attribute_list_syntax_is_not_interpreted() -> None:
    assert render_markdown("# Title {#anchor .big}") == "<h1>Title {#anchor .big}</h1>"


def test_emphasis_and_inline_html() -> None:
    output = render_markdown(
        "*em* **strong** H<sub>2</sub>O x<sup>2</sup> <del>d</del> <s>s</s> <b>b</b> <i>i</i>"
    )
    for fragment in [
        "<em>em</em>",
        "<strong>strong</strong>",
        "H<sub>2</sub>O",
        "x<sup>2</sup>",
        "<del>d</del>",
        "<s>s</s>",
        "<b>b</b>",
        "<i>i</i>",
    ]:
        assert fragment in output


def test_lists() -> None:
    output = render_markdown("- apple\n- pear\n\n1. one\n2. two\n")
    assert "<ul>\n<li>apple</li>\n<li>pear</li>\n</ul>" in output
    assert "<ol>\n<li>one</li>\n<li>two</li>\n</ol>" in output


def test_blockquote_rule_and_hard_break() -> None:
    output = render_markdown("> quoted\n\n---\n\nline one  \nline two")
    assert "<blockquote>\n<p>quoted</p>\n</blockquote>" in output
    assert "<hr>" in output
    assert "line one<br>\nline two" in output


def test_single_newline_is_not_a_line_break() -> None:
    assert render_markdown("line one\nline two") == "<p>line one\nline two</p>"


def test_fenced_code_is_escaped_and_loses_language_class() -> None:
    output = render_markdown("```python\nif a < b:\n    print('<b>&')\n```")
    assert output == "<pre><code>if a &lt; b:\n    print('&lt;b&gt;&amp;')\n</code></pre>"


def test_indented_code_block() -> None:
    output = render_markdown("Code:\n\n    <i>x</i>\n")
    assert "<pre><code>&lt;i&gt;x&lt;/i&gt;\n</code></pre>" in output


def test_inline_code_is_escaped() -> None:
    assert render_markdown("Use `<b>` here") == "<p>Use <code>&lt;b&gt;</code> here</p>"


def test_table_without_alignment_styles() -> None:
    output = render_markdown("| L | C |\n|:--|:-:|\n| 1 | 2 |\n")
    assert "<table>" in output
    assert "<thead>" in output
    assert "<th>L</th>" in output
    assert "<th>C</th>" in output
    assert "<tbody>" in output
    assert "<td>2</td>" in output
    assert "style" not in output


def test_link_gets_rel_nofollow() -> None:
    output = render_markdown('[Vonk](https://example.com/ideas "Ideas")')
    assert output == (
        f'<p><a href="https://example.com/ideas" title="Ideas" rel="{REL}">Vonk</a></p>'
    )


def test_author_rel_and_target_are_replaced() -> None:
    output = render_markdown('<a href="https://example.com/" rel="opener" target="_blank">x</a>')
    assert output == f'<p><a href="https://example.com/" rel="{REL}">x</a></p>'


@pytest.mark.parametrize(
    "href",
    ["/ideas/42", "../up", "#comments", "?page=2", "http://example.com/", "mailto:a@example.com"],
)
def test_relative_and_allowed_scheme_links_are_kept(href: str) -> None:
    assert f'href="{href}"' in render_markdown(f"[x]({href})")


@pytest.mark.parametrize(
    "href", ["ftp://example.com/", "tel:+3112345678", "file:///etc/passwd", "vbscript:x"]
)
def test_other_schemes_are_dropped(href: str) -> None:
    assert "href" not in render_markdown(f"[x]({href})")


def test_autolinks() -> None:
    output = render_markdown("<https://example.com/> and <someone@example.com>")
    assert f'<a href="https://example.com/" rel="{REL}">https://example.com/</a>' in output
    assert f'<a href="mailto:someone@example.com" rel="{REL}">someone@example.com</a>' in output


def test_image_with_https_src_is_kept() -> None:
    output = render_markdown('![A chart](https://example.com/chart.png "Q3")')
    [(tag, attrs)] = [t for t in _tags(str(output)) if t[0] != "p"]
    assert tag == "img"
    assert dict(attrs) == {"src": "https://example.com/chart.png", "alt": "A chart", "title": "Q3"}


def test_abbreviation() -> None:
    output = render_markdown("*[API]: Application Programming Interface\n\nThe API is slow.")
    assert output == (
        '<p>The <abbr title="Application Programming Interface">API</abbr> is slow.</p>'
    )


def test_no_state_leaks_between_calls() -> None:
    render_markdown("*[API]: Application Programming Interface\n\nAPI")
    assert render_markdown("API") == "<p>API</p>"


def test_concurrent_renders_do_not_interfere() -> None:
    def render(i: int) -> tuple[int, str]:
        return i, str(render_markdown(f"*[T{i}]: term {i}\n\nT{i} and T{i + 1}"))

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(render, range(200)))
    for i, output in results:
        assert output == f'<p><abbr title="term {i}">T{i}</abbr> and T{i + 1}</p>'


def test_class_id_and_style_are_stripped() -> None:
    output = render_markdown('<p class="big" id="top" style="color:red" data-x="1">Hi</p>')
    assert output == "<p>Hi</p>"


def test_plain_text_is_escaped() -> None:
    assert render_markdown('a < b & c > d "q"') == '<p>a &lt; b &amp; c &gt; d "q"</p>'


def test_empty_input() -> None:
    assert render_markdown("") == ""


def test_result_is_markup_and_not_escaped_again() -> None:
    output = render_markdown("**bold**")
    assert isinstance(output, Markup)
    assert Markup("{}").format(output) == "<p><strong>bold</strong></p>"


def test_lone_surrogate_does_not_crash() -> None:
    assert render_markdown("a\ud800b") == "<p>a?b</p>"


def test_size_cap_allows_exactly_the_limit() -> None:
    assert MAX_MARKDOWN_BYTES == 50_000
    render_markdown("a" * 50_000)
    render_markdown("é" * 25_000)  # 2 bytes each in UTF-8


@pytest.mark.parametrize("text", ["a" * 50_001, "é" * 25_000 + "a", "€" * 16_667])
def test_size_cap_rejects_one_byte_more(text: str) -> None:
    assert len(text.encode()) > MAX_MARKDOWN_BYTES
    with pytest.raises(MarkdownTooLarge):
        render_markdown(text)


def test_markdown_too_large_is_a_value_error() -> None:
    assert issubclass(MarkdownTooLarge, ValueError)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("[" * 50_000, id="open-brackets"),
        pytest.param("![" * 25_000, id="open-image-brackets"),
        pytest.param("[" * 25_000 + "]" * 25_000, id="nested-brackets"),
        pytest.param("[a](" * 12_500, id="open-link-parens"),
        pytest.param("[a](b" * 10_000, id="unclosed-links"),
        pytest.param("<a " * 16_666, id="unclosed-start-tags"),
        pytest.param("<http://" * 6_250, id="unclosed-autolinks"),
        pytest.param("<![CDATA[" * 5_555, id="cdata"),
        pytest.param("x <a>" * 3_000 + "<!-- -->" * 3_000, id="comments-in-open-tags"),
        pytest.param("<a <!-- -->" * 4_000, id="comments-in-unclosed-tags"),
        pytest.param("".join(f"*[A{i}]: x\n" for i in range(4_000)), id="abbreviations"),
    ],
)
def test_pathological_input_is_rejected(text: str) -> None:
    # Each of these takes Python-Markdown from several seconds to several minutes.
    assert len(text.encode()) <= MAX_MARKDOWN_BYTES
    with pytest.raises(MarkdownTooLarge):
        render_markdown(text)


REALISTIC_CHUNK = """## Idea: faster onboarding

We could cut onboarding from *two weeks* to **three days** by pairing each new
hire with a buddy ([see the HR wiki](https://wiki.example.com/hr/onboarding)) and
automating account set-up (see [ticket 1234][t1234]).

- Step 1: create accounts (`ldap`, `mail`, `vpn`)
- Step 2: assign a buddy, see <https://intranet.example.com/buddies>
- Step 3: review after 30 days (a < b, c > d)

| Phase | Owner | Days |
|:------|:-----:|-----:|
| Accounts | IT | 1 |
| Buddy | HR | 2 |

```python
def days_saved(old: list[int], new: list[int]) -> int:
    return sum(old[i] - new[i] for i in range(len(old)))  # (a < b) and c > d
```

H<sub>2</sub>O, x<sup>2</sup>, <del>old</del> costs about 1,200 EUR <!-- TODO: confirm -->.

*[HR]: Human Resources

[t1234]: https://tracker.example.com/1234 "Ticket"

"""


def test_long_realistic_document_is_not_rejected() -> None:
    text = REALISTIC_CHUNK * (MAX_MARKDOWN_BYTES // len(REALISTIC_CHUNK.encode()))
    assert len(text.encode()) > 0.9 * MAX_MARKDOWN_BYTES
    output = render_markdown(text)
    assert output.count("<table>") == text.count("| Phase |")
    _assert_safe(output)


def test_excerpt_strips_markup_and_unescapes() -> None:
    text = "# Title\n\nSome **bold** & `<code>` for Tom &amp; Jerry.\n\n- one\n- two"
    assert render_plain_excerpt(text) == "Title Some bold & <code> for Tom & Jerry. one two"


def test_excerpt_is_plain_str() -> None:
    excerpt = render_plain_excerpt("**x**")
    assert type(excerpt) is str
    assert excerpt == "x"


def test_excerpt_drops_script_content() -> None:
    assert render_plain_excerpt("<script>alert(1)</script>Hello <b>there</b>") == "Hello there"


def test_excerpt_collapses_whitespace() -> None:
    assert render_plain_excerpt("a\n\n\n   b\t\tc&nbsp;d  \n") == "a b c d"


def test_excerpt_short_text_is_unchanged() -> None:
    assert render_plain_excerpt("alpha beta", limit=10) == "alpha beta"


def test_excerpt_truncates_on_word_boundary() -> None:
    excerpt = render_plain_excerpt("alpha beta gamma delta", limit=12)
    assert excerpt == "alpha beta…"
    assert len(excerpt) <= 12


def test_excerpt_cut_just_before_a_space() -> None:
    assert render_plain_excerpt("alpha beta gamma", limit=11) == "alpha beta…"


def test_excerpt_drops_trailing_punctuation_before_ellipsis() -> None:
    assert render_plain_excerpt("one, two three", limit=8) == "one…"


def test_excerpt_hard_cuts_a_single_long_word() -> None:
    assert render_plain_excerpt("a" * 300, limit=10) == "a" * 9 + "…"


def test_excerpt_default_limit() -> None:
    excerpt = render_plain_excerpt("word " * 100)
    assert len(excerpt) <= 200
    assert excerpt.endswith("word…")


def test_excerpt_rejects_bad_limit() -> None:
    with pytest.raises(ValueError, match="limit"):
        render_plain_excerpt("x", limit=0)


def test_excerpt_applies_size_cap() -> None:
    with pytest.raises(MarkdownTooLarge):
        render_plain_excerpt("a" * (MAX_MARKDOWN_BYTES + 1))
