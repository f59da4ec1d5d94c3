// The chat page's markup, which main.ts brings to life: the host puts it in the panel's HTML (with
// the CSP and the script), so page and script are written side by side. Static: nothing in it comes
// from a model or a user.
export const CHAT_BODY = `<div id="banner" class="banner" hidden></div>
<header>
  <div class="title-row">
    <h1 id="title"></h1>
    <span id="conversationTitle" class="conversation-title"></span>
    <div class="header-buttons">
      <button id="conversations" type="button" class="secondary" title="Reopen, rename or delete a conversation kept in this workspace">Conversations</button>
      <button id="rename" type="button" class="secondary" title="Give this conversation a name">Rename</button>
      <button id="export" type="button" class="secondary" title="Open this conversation as Markdown or JSON">Export</button>
      <button id="clear" type="button" class="secondary" title="Start a new conversation (this one stays in Conversations)">New Chat</button>
    </div>
  </div>
  <form id="parameters">
    <label>Format <select id="format"><option value="messages">Messages API</option><option value="tgi">TGI</option></select></label>
    <label>Max new tokens <input id="maxNewTokens" type="number" step="1"></label>
    <label>Temperature <input id="temperature" type="number" step="0.1"></label>
    <label>top_p <input id="topP" type="number" step="0.05"></label>
    <label>Seed <input id="seed" type="number" step="1" placeholder="random"></label>
    <label>Preset <select id="preset"><option value="">—</option></select></label>
    <button id="savePreset" type="button" class="secondary" title="Save these parameters, system prompt and stop sequences under a name (settings)">Save as Preset</button>
    <details id="instructions">
      <summary>System prompt and stop sequences</summary>
      <label class="block">System prompt <textarea id="systemPrompt" rows="3" placeholder="Instructions the model gets before the conversation"></textarea></label>
      <label class="block">Stop sequences, one per line (\\n for a line break; at most 4) <textarea id="stopSequences" rows="2"></textarea></label>
    </details>
  </form>
</header>
<main id="transcript" role="log" aria-live="polite"></main>
<footer>
  <textarea id="prompt" rows="3" aria-label="Prompt" placeholder="Ask the model… (Enter to send, Shift+Enter for a new line)"></textarea>
  <div class="buttons"><button id="send" type="button">Send</button><button id="stop" type="button" class="secondary">Stop</button></div>
</footer>`;
