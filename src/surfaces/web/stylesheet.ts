/** The application's one stylesheet, served at /style.css. Mobile first; no external fonts. */
export const STYLESHEET = `
*,*::before,*::after{box-sizing:border-box}
:root{--ink:#1b1f23;--muted:#57606a;--line:#d0d7de;--accent:#0b5cad;--accent-soft:#ddeeff;--warn:#9a6700;--warn-soft:#fff8c5;--bad:#b00020;--ok:#1a7f37;--bg:#fff;--panel:#f6f8fa}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
a{color:var(--accent)}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem}
header.site{border-bottom:1px solid var(--line);background:var(--panel)}
header.site .bar{max-width:52rem;margin:0 auto;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:.4rem 1rem;align-items:center}
.brand{font-weight:700;font-size:1.15rem;text-decoration:none;color:var(--ink);margin-right:auto}
nav.site a,nav.site button{font-size:.95rem}
nav.site{display:flex;flex-wrap:wrap;gap:.3rem .9rem;align-items:center}
nav.site form{display:inline;margin:0}
main{max-width:52rem;margin:0 auto;padding:1rem}
footer.site{max-width:52rem;margin:2rem auto 1rem;padding:1rem;border-top:1px solid var(--line);font-size:.85rem;color:var(--muted)}
h1{font-size:1.55rem;line-height:1.25;margin:.6rem 0}
h2{font-size:1.2rem;margin-top:1.8rem;padding-bottom:.2rem;border-bottom:1px solid var(--line)}
label{font-weight:600}
input[type=text],input[type=password],input[type=search],input[type=date],select,textarea{font:inherit;width:100%;padding:.55rem .6rem;border:1px solid var(--line);border-radius:6px;background:#fff}
textarea{min-height:5.5rem;resize:vertical}
button,.button{font:inherit;font-weight:600;padding:.5rem 1rem;border-radius:6px;border:1px solid var(--accent);background:var(--accent);color:#fff;cursor:pointer;text-decoration:none;display:inline-block}
button.secondary{background:#fff;color:var(--accent)}
button.link{background:none;border:none;color:var(--accent);padding:0;font-weight:400;text-decoration:underline}
button.danger{background:var(--bad);border-color:var(--bad)}
.field{margin:.8rem 0}
fieldset{border:1px solid var(--line);border-radius:8px;padding:.6rem .9rem;margin:.9rem 0}
legend{font-weight:600;padding:0 .3rem}
.choices{display:flex;flex-wrap:wrap;gap:.4rem 1.2rem}.choices label{font-weight:400}
.hint{color:var(--muted);font-size:.9rem;margin:.2rem 0}
.panel{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:.8rem 1rem;margin:1rem 0}
.notice{background:var(--warn-soft);border:1px solid #d4a72c;border-radius:8px;padding:.6rem .9rem;margin:.8rem 0}
.error{background:#ffebe9;border:1px solid var(--bad);border-radius:8px;padding:.6rem .9rem}
.meta{display:flex;flex-wrap:wrap;gap:.2rem 1.2rem;color:var(--muted);font-size:.9rem}
.badge{display:inline-block;font-size:.78rem;font-weight:600;padding:.05rem .5rem;border-radius:1rem;background:#eaeef2;color:var(--ink);white-space:nowrap}
.badge.approved{background:#dafbe1;color:var(--ok)}.badge.rejected,.badge.changes_requested{background:#ffebe9;color:var(--bad)}
.badge.under_review{background:var(--accent-soft);color:var(--accent)}
.evidentia-article h1{font-size:1.55rem}
.evidentia-article .question{color:var(--muted);font-style:italic}
.review-status{display:flex;gap:.3rem;list-style:none;padding:0;margin:.8rem 0;counter-reset:step}
.review-status li{flex:1;text-align:center;font-size:.85rem;padding:.35rem .3rem;border-radius:6px;background:#eaeef2;color:var(--muted)}
.review-status li.done{background:#cfe3ff;color:var(--ink)}
.review-status li.current{background:var(--accent);color:#fff;font-weight:600}
.review-line{font-size:.9rem;color:var(--muted)}
.direct-answer{background:var(--accent-soft);border-left:4px solid var(--accent);padding:.2rem 1rem .6rem;border-radius:0 8px 8px 0}
.direct-answer h2{border:none}
.cite{text-decoration:none;font-size:.8em;vertical-align:super;padding:0 .1rem}
.cite:focus,.cite:hover{text-decoration:underline}
details.quote{display:inline}
details.quote summary{display:inline;cursor:pointer;font-size:.8rem;color:var(--muted);margin-left:.3rem}
blockquote{margin:.4rem 0;padding:.3rem .8rem;border-left:3px solid var(--line);color:#444;background:var(--panel)}
.references li{margin:.35rem 0;word-break:break-word}
.references li:target{background:var(--warn-soft);outline:2px solid #d4a72c;border-radius:4px}
.label{font-weight:700;font-size:.8rem;text-transform:uppercase;letter-spacing:.02em;color:var(--accent);margin-right:.2rem}
.direction{font-weight:700;font-size:.8rem;text-transform:uppercase}
.direction.for{color:var(--ok)}.direction.against{color:var(--bad)}
.strength{color:var(--muted)}
.urgent{background:var(--bad);color:#fff;padding:1rem;border-radius:8px}
.disclaimer{margin-top:2rem;font-size:.9rem;color:var(--muted);border-top:1px solid var(--line)}
.verification{font-size:.85rem;color:var(--muted)}
.thread ol{padding-left:1.2rem}.thread li.current{font-weight:600}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:left;border-bottom:1px solid var(--line);padding:.35rem .4rem;vertical-align:top}
.results li{margin:.7rem 0}
.diff{font-family:ui-monospace,monospace;font-size:.85rem;white-space:pre-wrap;border:1px solid var(--line);border-radius:6px;padding:.5rem}
.diff ins{background:#dafbe1;text-decoration:none;display:block}.diff del{background:#ffebe9;display:block}
.diff .same{color:var(--muted);display:block}
.flag{color:var(--bad);font-weight:600}
.bullet-edit{border:1px solid var(--line);border-radius:8px;padding:.6rem;margin:.6rem 0}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;margin:.6rem 0}
.filters{display:grid;grid-template-columns:1fr;gap:.5rem}
@media (min-width:40rem){.filters{grid-template-columns:2fr 1fr 1fr 1fr 1fr}main{padding:1.5rem 1rem}}
.token{font-family:ui-monospace,monospace;word-break:break-all;background:var(--panel);padding:.5rem;border-radius:6px}
`;
