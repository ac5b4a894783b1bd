import type { Router } from '../router.js';

/** The UI's only stylesheet: system fonts, fluid from 360 px phones to 1920 px screens. */
const CSS = `*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d1d1f;background:#fafafa}
header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;padding:.6rem 1rem;background:#1f2937;color:#fff}
header a{color:#fff}header .brand{font-weight:700;text-decoration:none}
header nav{display:flex;gap:.8rem;flex-wrap:wrap}
header form{margin-left:auto;display:flex;gap:.3rem;flex:1 1 16rem;max-width:32rem}
header input[type=search]{flex:1;min-width:0;padding:.35rem .5rem;border:1px solid #999;border-radius:4px;font:inherit}
button,.button{font:inherit;padding:.35rem .7rem;border:1px solid #555;border-radius:4px;background:#eee;color:#111;cursor:pointer}
main{padding:1rem;max-width:120rem;margin:0 auto}
h1{font-size:1.4rem;margin:.2rem 0 .8rem;overflow-wrap:anywhere}h2{font-size:1.1rem;margin:1.2rem 0 .5rem}
a{color:#1a56db}a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,iframe:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
.scroll{overflow-x:auto}table{border-collapse:collapse;width:100%;background:#fff}
th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #e5e5e5;vertical-align:top}
td:first-child{overflow-wrap:anywhere;min-width:9rem}
th{background:#f0f0f0;font-weight:600}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));gap:1rem}
.card{background:#fff;border:1px solid #e5e5e5;border-radius:6px;padding:.6rem .8rem;margin-bottom:1rem}
.grid>.card{margin-bottom:0}.grid{margin-bottom:1rem}
meter{width:100%}
.stat{display:inline-block;margin:0 1.2rem .4rem 0}.stat b{display:block;font-size:1.3rem}
.state-running{color:#b45309}.state-finished{color:#047857}.state-interrupted,.state-failed{color:#b91c1c}
form.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin-bottom:.8rem}
form.filters label{display:flex;flex-direction:column;font-size:.85rem}
form.filters input,form.filters select{font:inherit;padding:.25rem .4rem;min-width:7rem}
.pager{margin:.8rem 0;display:flex;gap:1rem;align-items:center}
.snippet mark{background:#fde68a}.snippet{margin:.2rem 0 0;color:#333}
ol.results{padding-left:1.4rem}ol.results li{margin-bottom:.8rem}
.url{font-family:ui-monospace,monospace;font-size:.9em;overflow-wrap:anywhere}
ol.timeline{list-style:none;display:flex;flex-wrap:wrap;gap:.4rem;padding:0}
ol.timeline a{display:block;padding:.3rem .5rem;border-radius:4px;border:2px solid transparent;text-decoration:none;color:#111;font-size:.85rem}
ol.timeline a[aria-current]{border-color:#111}
.chg0{background:#e5e7eb}.chg1{background:#d1fae5}.chg2{background:#fde68a}.chg3{background:#fdba74}.chg4{background:#fca5a5}
iframe.replay{width:100%;height:70vh;border:1px solid #ccc;background:#fff}
.frames{display:grid;grid-template-columns:repeat(auto-fit,minmax(20rem,1fr));gap:1rem}
.frames iframe{height:55vh}
.diff p{margin:.15rem 0;padding:.1rem .4rem;white-space:pre-wrap;overflow-wrap:anywhere}
.diff .add,ins{background:#d1fae5;text-decoration:none}.diff .remove,del{background:#fee2e2}
.muted,.empty{color:#666}
dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:.2rem .8rem}dl.kv dt{font-weight:600}dl.kv dd{margin:0;overflow-wrap:anywhere}
.bar{display:inline-block;height:.7rem;background:#60a5fa;vertical-align:middle}
@media (max-width:600px){main{padding:.6rem}header form{max-width:none;margin-left:0}iframe.replay{height:60vh}}
`;

/**
 * The UI's only script. It does two things, both optional: keeps a running run's overview live
 * (fetch-poll of the overview's JSON, numbers replaced in place, no reload), and submits filter
 * forms when a select changes. Pages work without it.
 */
const JS = `(function(){
'use strict';
var main=document.querySelector('main');
var live=main&&main.getAttribute('data-live');
if(live){
  var tick=function(){
    fetch(live,{headers:{Accept:'application/json'}}).then(function(r){return r.ok?r.json():null}).then(function(d){
      if(!d)return;
      Object.keys(d.counts||{}).forEach(function(k){
        var el=document.querySelector('[data-count="'+k+'"]');
        if(el)el.textContent=Number(d.counts[k]).toLocaleString('en');
      });
      var st=document.querySelector('[data-state]');
      if(st){st.textContent=d.state;st.className='state-'+d.state;}
      var up=document.querySelector('[data-updated]');
      if(up)up.textContent=d.updatedAt||'';
      if(d.state==='running')setTimeout(tick,3000);
    }).catch(function(){setTimeout(tick,10000)});
  };
  setTimeout(tick,3000);
}
document.querySelectorAll('form.filters select').forEach(function(s){
  s.addEventListener('change',function(){s.form.requestSubmit?s.form.requestSubmit():s.form.submit()});
});
})();
`;

/** `/ui/app.css` and `/ui/app.js`: served as files so the CSP needs no inline anything. */
export function registerAssets(router: Router): void {
  const send = (type: string, body: string) => (ctx: { res: import('node:http').ServerResponse }): void => {
    ctx.res.writeHead(200, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'max-age=300', 'X-Content-Type-Options': 'nosniff' });
    ctx.res.end(ctx.res.req.method === 'HEAD' ? undefined : body);
  };
  router.get('/ui/app.css', send('text/css; charset=utf-8', CSS));
  router.get('/ui/app.js', send('text/javascript; charset=utf-8', JS));
}
