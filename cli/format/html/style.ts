/** The report's only style sheet, inlined so the file stands alone. */
export const PAGE_STYLE = `
:root{color-scheme:light;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a202c;background:#f7f8fa}
body{max-width:1100px;margin:0 auto;padding:24px}
header h1{margin:0 0 4px;font-size:1.6rem}
header p{margin:0 0 20px;color:#4a5568}
.ok{color:#276749}.bad{color:#b3261e}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(160px,1fr));gap:12px;margin-bottom:24px}
.tile{background:#fff;border:1px solid #e2e8f0;border-radius:8px;padding:14px}
.tile.bad{border-color:#f5b4ae;background:#fff5f5}
.tile .value{font-size:1.8rem;font-weight:700}
.tile .label{font-weight:600;margin-top:4px}
.tile .note{color:#718096;font-size:.8rem;margin-top:4px}
.charts{display:flex;flex-wrap:wrap;gap:16px;margin-bottom:24px}
.chart{background:#fff;border:1px solid #e2e8f0;border-radius:8px;padding:12px;margin:0}
.chart figcaption{font-weight:600;margin-bottom:8px}
.chart svg text{font-size:12px;fill:#1a202c}
h2{margin-top:28px;font-size:1.2rem}
.finding{background:#fff;border:1px solid #e2e8f0;border-left:6px solid;border-radius:8px;padding:12px 16px;margin:12px 0}
.finding h3{margin:0 0 6px;font-size:1rem}
.badge{color:#fff;border-radius:4px;padding:2px 6px;font-size:.75rem;margin-right:6px}
.resource{color:#4a5568;margin:0 0 6px;word-break:break-all}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 12px;margin:8px 0}
dt{font-weight:600}dd{margin:0;word-break:break-all}
h4{margin:10px 0 4px;font-size:.9rem}
pre{background:#1a202c;color:#e2e8f0;padding:10px;border-radius:6px;overflow-x:auto;font-size:.8rem}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border:1px solid #e2e8f0;padding:6px 8px;text-align:left;vertical-align:top}
footer{margin-top:32px;color:#718096;font-size:.8rem}
`;
