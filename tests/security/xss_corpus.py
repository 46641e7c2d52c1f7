"""Well-known cross-site scripting vectors (after the OWASP filter evasion cheat sheet and
PortSwigger's XSS cheat sheet), as a member might paste them into Markdown or a plain field."""

from __future__ import annotations

SCRIPT_TAGS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//xss.example/x.js></SCRIPT>",
    "<ScRiPt>alert(1)</sCrIpT>",
    "<script/xss src=//xss.example/x.js></script>",
    '<<script>alert("x");//<</script>',
    "<script>alert(1)",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "</title><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    '"><script>alert(document.cookie)</script>',
]
EVENT_HANDLERS = [
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(1)">',
    "<IMG SRC=x OnErRoR=alert(1)>",
    "<img src=x onerror=&#97;&#108;&#101;&#114;&#116;(1)>",
    "<body onload=alert(1)>",
    '<div onmouseover="alert(1)">hover</div>',
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<audio src=x onerror=alert(1)>",
    "<marquee onstart=alert(1)>x</marquee>",
    '<a href="https://example.org" onclick="alert(1)">x</a>',
    "<p/onclick=alert(1)>x</p>",
    "<img src=x:alert(alt) onerror=eval(src) alt=0>",
]
DANGEROUS_URLS = [
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<img src="javascript:alert(1)">',
    '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<button formaction="javascript:alert(1)">x</button>',
    '<base href="javascript:alert(1)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="stylesheet" href="javascript:alert(1)">',
]
MARKDOWN = [
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1)  )",
    "[click](javascript&#58;alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html,<script>alert(1)</script>)",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '[x](https://example.org "title\\" onmouseover=\\"alert(1)")',
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "[a](<javascript:alert(1)>)",
    '![a](x" onerror="alert(1))',
    "```html\n<script>alert(1)</script>\n```",
]
SVG_AND_MATHML = [
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style>"
    "</mglyph></table></mtext></math>",
    '<math href="javascript:alert(1)">x</math>',
    "<svg><style><img src=x onerror=alert(1)></style></svg>",
]
EMBEDS_AND_STYLES = [
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<div style="width: expression(alert(1))">x</div>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<style>@import 'javascript:alert(1)';</style>",
    '<style>body{background:url("javascript:alert(1)")}</style>',
    '<frameset><frame src="javascript:alert(1)"></frameset>',
    '<applet code="x"></applet>',
]
BROKEN_MARKUP = [
    "<img src=x onerror=alert(1)//",
    '<a href="https://example.org/"onmouseover="alert(1)">x</a>',
    "<a href='x' onclick='alert(1)'>x",
    "<!--<img src=x onerror=alert(1)>-->",
    "<!-- --><script>alert(1)</script><!-- -->",
    "<![CDATA[<script>alert(1)</script>]]>",
    '"><img src=x onerror=alert(1)>',
    "'><img src=x onerror=alert(1)>",
    "</p><img src=x onerror=alert(1)><p>",
    "<<img src=x onerror=alert(1)>>",
    "<div/onclick=alert(1)>x</div>",
    "<img src=`x` onerror=`alert(1)`>",
]

XSS_VECTORS = (
    SCRIPT_TAGS + EVENT_HANDLERS + DANGEROUS_URLS + MARKDOWN + SVG_AND_MATHML
    + EMBEDS_AND_STYLES + BROKEN_MARKUP
)  # fmt: skip

# Fragments a grammar recombines: openings, handlers, schemes, quotes and closings.
FRAGMENTS = [
    "<", ">", "/", "\"", "'", "`", "=", " ", "\t", "\n", "&#", "&#x", ";", "(", ")", "[", "]",
    "!", ":", "<script>", "</script>", "<img src=x", "<a href=", "<svg", "<iframe", "<style>",
    "onerror=", "onload=", "onclick=", "javascript:", "JaVaScRiPt:", "java\tscript:",
    "vbscript:", "data:text/html,", "&#106;", "&#x6A;", "alert(1)", "<!--", "-->", "](", "![",
    "<math>", "expression(", "x", "https://example.org", "\x00", "\r",
]  # fmt: skip
