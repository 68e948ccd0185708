// The link page's live total: progressive enhancement, run by the page's CSP nonce. The page works
// without it (Show total / Apply ask the server; Pay is checked by the server whatever the page
// showed, payments/shown-prices.ts). With it, the total and the Pay button ("Pay ¥2,875") follow
// the quantity, the amount and the tip as the buyer changes them, computed by the same rules as
// payments/checkout-amount.ts from the prices the server put on the form (`data-pricing`) and
// formatted with the server's own pattern (i18n/format.ts priceParts), so the two never differ.
// A quantity out of range shows its error at the field and no total; so does anything the script
// cannot read for sure (an amount it does not parse, a code not yet applied): Show total / Apply
// then ask the server.
import type { DiscountOff } from '../../discounts/discount-rule.js';
import type { PriceParts } from '../../i18n/format.js';
import type { TipOptions } from '../../links/link-price.js';

/** Where the Pay button's label takes the total. */
export const TOTAL_MARK = '%TOTAL%';

/** What the script prices from, as the form's `data-pricing` JSON. */
export interface LivePricing {
  /** The fixed unit price, or the buyer's range and presets. */
  price: { fixed: number } | { min: number; max: number; presets: number[] };
  tips: TipOptions | null;
  /** The quantities offered when the buyer chooses one; else `fixedQuantity` is bought. */
  quantity: { min: number; max: number; errors: { notANumber: string; belowMin: string; aboveMax: string } } | null;
  fixedQuantity: number;
  /** What the code the server applied takes off (while the field still says that code); null: none. */
  off: DiscountOff | null;
  /** The currency's largest payment, in its smallest unit. */
  max: number;
  money: PriceParts;
  /** "Pay %TOTAL%" and plain "Pay". */
  pay: string;
  plain: string;
}

export const LIVE_TOTAL_SCRIPT = `(function(){
var f=document.querySelector('form[data-pricing]');if(!f)return;
var P=JSON.parse(f.getAttribute('data-pricing'));
var q=document.getElementById('quantity'),line=document.getElementById('live-total'),out=document.getElementById('total'),bd=document.getElementById('breakdown');
var pay=f.querySelector('[data-testid=pay]'),code=document.getElementById('code'),custom=document.getElementById('customAmount');
var appliedAs=code?code.value:'',touched=false;
function group(d){return d.replace(/\\B(?=(\\d{3})+(?!\\d))/g,',');}
function money(n){var m=P.money,s=String(n),minor='';if(m.decimals>0){while(s.length<=m.decimals)s='0'+s;minor='.'+s.slice(-m.decimals);s=s.slice(0,-m.decimals);}return m.before+group(s)+minor+m.after;}
function typed(text){var t=String(text).normalize('NFKC').replace(/\\s+/g,'').replace(/^[¥₩$€£]/,'').replace(/(円|원)$/,'');
if(!/^(\\d{1,3}(,\\d{3})+|\\d+)(\\.\\d+)?$/.test(t))return null;var parts=t.replace(/,/g,'').split('.'),frac=parts[1]||'';if(frac.length>P.money.decimals)return null;
while(frac.length<P.money.decimals)frac+='0';var n=parseInt(parts[0]+frac,10);return n>0?n:null;}
function checked(name){var r=f.querySelector('input[name='+name+']:checked');return r?r.value:null;}
function unit(){var p=P.price;if(p.fixed!==undefined)return p.fixed;var c=checked('amountChoice');
if(c!==null&&c!=='custom'){var v=Number(c);return p.presets.indexOf(v)>=0?v:null;}
var n=custom?typed(custom.value):null;return n!==null&&n>=p.min&&n<=p.max?n:null;}
function quantity(){if(!P.quantity||!q)return {n:P.fixedQuantity};var Q=P.quantity,t=q.value.normalize('NFKC').trim();
if(!/^\\d{1,3}$/.test(t))return {error:Q.errors.notANumber};var n=Number(t);if(n<Q.min)return {error:Q.errors.belowMin};if(n>Q.max)return {error:Q.errors.aboveMax};return {n:n};}
function off(subtotal){if(!code||code.value.trim()==='')return 0;if(!P.off||code.value!==appliedAs)return null;var o=P.off;return o.kind==='percent'?Math.floor(subtotal*o.percent/100):o.amount;}
function tip(discounted){var c=checked('tip'),T=P.tips;if(!T||c===null||c==='none')return 0;
var v=Number(T.kind==='percent'?c.replace(/%$/,''):c);if(T.values.indexOf(v)<0)return null;return T.kind==='percent'?Math.floor(discounted*v/100):v;}
function quantityError(message){if(!q)return;var e=document.getElementById('quantity-error');
if(!e&&message){e=document.createElement('p');e.className='field-error';e.id='quantity-error';e.setAttribute('data-testid','quantity-error');q.parentNode.parentNode.insertBefore(e,q.parentNode);
q.setAttribute('aria-describedby',(q.getAttribute('aria-describedby')||'')+' quantity-error');}
if(e){e.hidden=!message;if(message)e.textContent=message;}if(message)q.setAttribute('aria-invalid','true');else q.removeAttribute('aria-invalid');}
function total(){var u=unit(),k=quantity();quantityError(k.error||null);if(u===null||k.n===undefined)return null;
var sub=u*k.n,d=off(sub);if(d===null||sub-d<1)return null;var t=tip(sub-d);if(t===null)return null;var all=sub-d+t;return all>P.max?null:all;}
function update(){var t=total();if(bd&&touched)bd.hidden=true;
if(out&&line){if(t!==null)out.textContent=money(t);line.hidden=t===null||(bd!==null&&!bd.hidden);}
if(pay)pay.textContent=t===null?P.plain:P.pay.split('${TOTAL_MARK}').join(money(t));}
function step(text,label,delta){var b=document.createElement('button');b.type='button';b.className='step';b.textContent=text;b.setAttribute('aria-label',label);b.setAttribute('aria-controls','quantity');
b.addEventListener('click',function(){var n=parseInt(q.value,10);if(isNaN(n))n=P.quantity.min;q.value=String(Math.min(P.quantity.max,Math.max(P.quantity.min,n+delta)));touched=true;update();});return b;}
if(q&&P.quantity){q.parentNode.insertBefore(step('\\u2212',q.getAttribute('data-decrease'),-1),q);q.parentNode.appendChild(step('+',q.getAttribute('data-increase'),1));}
function changed(e){var n=e.target&&e.target.name;if(['amountChoice','customAmount','tip','quantity','code'].indexOf(n)<0)return;touched=true;update();}
f.addEventListener('input',changed);f.addEventListener('change',changed);update();})();`;
