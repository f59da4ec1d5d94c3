// The chat page's markup, which main.ts brings to life: the host puts it in the panel's HTML (with
// the CSP and the script), so page and script are written side by side. Static: nothing in it comes
// from a model or a user.
/** One side of Compare: its endpoint and parameters, labelled with its letter for screen readers. */
function compareSide(index: number, letter: string): string {
  return `    <fieldset class="compare-side" data-side="${index}"><legend>${letter}</legend>
      <label>Endpoint <input class="side-endpoint" type="text" list="endpointList" aria-label="Endpoint ${letter}"></label>
      <label>Preset <select class="side-preset" aria-label="Preset ${letter}"></select></label>
      <label>Temperature <input class="side-temperature" type="number" step="0.1" aria-label="Temperature ${letter}"></label>
      <label>Max new tokens <input class="side-maxNewTokens" type="number" step="1" aria-label="Max new tokens ${letter}"></label>
    </fieldset>`;
}

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
      <button id="compareToggle" type="button" class="secondary" aria-pressed="false" aria-controls="compare" title="Send one prompt to two endpoints, or to one with two parameter sets, side by side">Compare</button>
    </div>
  </div>
  <form id="parameters">
    <label>Format <select id="format"><option value="messages">Messages API</option><option value="tgi">TGI</option><option value="lmi">LMI/DJL</option><option value="jumpstart">JumpStart chat</option><option value="custom">Custom template</option></select></label>
    <button id="detectFormat" type="button" class="secondary" title="Ask the endpoint which format it speaks: one tiny request in each format until one is answered">Detect Format</button>
    <p id="formatStatus" class="format-status" role="status" aria-live="polite"></p>
    <details id="templateBox" hidden>
      <summary>Custom template</summary>
      <label class="block">Request (JSON; "{{prompt}}", "{{messages}}", "{{max_new_tokens}}", "{{temperature}}", "{{top_p}}" are filled in) <textarea id="templateRequest" rows="3" spellcheck="false">{"prompt": "{{prompt}}", "max_length": "{{max_new_tokens}}", "stream": true}</textarea></label>
      <label>Answer path <input id="answerPath" type="text" spellcheck="false" value="$.output.text"></label>
      <label>Stream chunk path <input id="chunkPath" type="text" spellcheck="false" value="$.delta.text" placeholder="none: not streamed"></label>
      <button id="useTemplate" type="button">Use Template</button>
    </details>
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
<section id="compare" class="compare" hidden aria-label="Compare two answers">
  <datalist id="endpointList"></datalist>
  <div class="compare-sides">
${compareSide(0, 'A')}
${compareSide(1, 'B')}
  </div>
  <p id="comparePrompt" class="compare-prompt"></p>
  <div class="compare-columns">
    <section class="compare-answer" data-side="0" aria-labelledby="compareHeading0"><h2 id="compareHeading0">A</h2><div class="text answer" aria-live="off"></div><div class="metrics" role="status"></div></section>
    <section class="compare-answer" data-side="1" aria-labelledby="compareHeading1"><h2 id="compareHeading1">B</h2><div class="text answer" aria-live="off"></div><div class="metrics" role="status"></div></section>
  </div>
</section>
<main id="transcript" role="log" aria-live="polite"></main>
<footer>
  <textarea id="prompt" rows="3" aria-label="Prompt" placeholder="Ask the model… (Enter to send, Shift+Enter for a new line)"></textarea>
  <div class="buttons"><button id="send" type="button">Send</button><button id="stop" type="button" class="secondary">Stop</button></div>
</footer>`;
