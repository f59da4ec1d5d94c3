// The chat page's markup, which main.ts brings to life: the host puts it in the panel's HTML (with
// the CSP and the script), so page and script are written side by side. Static: nothing in it comes
// from a model or a user.
export const CHAT_BODY = `<div id="banner" class="banner" hidden></div>
<header>
  <h1 id="title"></h1>
  <form id="parameters">
    <label>Format <select id="format"><option value="messages">Messages API</option><option value="tgi">TGI</option></select></label>
    <label>Max new tokens <input id="maxNewTokens" type="number" step="1"></label>
    <label>Temperature <input id="temperature" type="number" step="0.1"></label>
    <label>top_p <input id="topP" type="number" step="0.05"></label>
    <label>Seed <input id="seed" type="number" step="1" placeholder="random"></label>
  </form>
  <button id="clear" type="button" class="secondary">Clear</button>
</header>
<main id="transcript" role="log" aria-live="polite"></main>
<footer>
  <textarea id="prompt" rows="3" aria-label="Prompt" placeholder="Ask the model… (Enter to send, Shift+Enter for a new line)"></textarea>
  <div class="buttons"><button id="send" type="button">Send</button><button id="stop" type="button" class="secondary">Stop</button></div>
</footer>`;
