// The ops dashboard: polls the ops service's JSON API every poll interval, keeps the last ten minutes
// in the page, and draws them with uPlot; the candle chart also follows the quotes app's WebSocket.
// Numbers are drawn, never counted: decimals arrive as strings and become floats only for plotting.
'use strict';

(() => {
  const HISTORY_SECONDS = 600;
  const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2',
    '#17becf', '#7f7f7f', '#bcbd22'];
  const SYMBOL = /^[A-Z0-9._-]{1,32}$/;

  const $ = (id) => document.getElementById(id);
  const num = (s) => (s === null || s === undefined ? null : Number(s));

  // ---- a time-aligned set of lines, each named, trimmed to the history window ----
  class History {
    constructor() {
      this.t = [];
      this.lines = new Map();
    }

    push(seconds, values) {
      for (const name of values.keys()) {
        if (!this.lines.has(name)) {
          this.lines.set(name, this.t.map(() => null));
        }
      }
      this.t.push(seconds);
      for (const [name, line] of this.lines) {
        line.push(values.has(name) ? values.get(name) : null);
      }
      while (this.t.length > 0 && this.t[0] < seconds - HISTORY_SECONDS) {
        this.t.shift();
        for (const line of this.lines.values()) {
          line.shift();
        }
      }
    }

    names() {
      return [...this.lines.keys()];
    }

    data() {
      return [this.t, ...this.lines.values()];
    }
  }

  function width(el) {
    return Math.max(300, el.clientWidth);
  }

  // ---- a line chart whose lines may come and go (rebuilt when they do) ----
  class LineChart {
    constructor(el, unit) {
      this.el = el;
      this.unit = unit;
      this.plot = null;
      this.key = null;
    }

    draw(history) {
      this.el.dataset.points = history.t.length; // for tests and the curious: how much is drawn
      const names = history.names();
      const key = names.join('\n');
      if (this.plot === null || key !== this.key) {
        if (this.plot !== null) {
          this.plot.destroy();
        }
        this.key = key;
        this.plot = new uPlot({
          width: width(this.el),
          height: 240,
          scales: { x: { time: true } },
          axes: [{}, { label: this.unit, size: 70 }],
          series: [{}, ...names.map((name, i) => ({
            label: name, stroke: COLORS[i % COLORS.length], width: 1.5,
          }))],
        }, history.data(), this.el);
      } else {
        this.plot.setData(history.data());
      }
    }

    resize() {
      if (this.plot !== null) {
        this.plot.setSize({ width: width(this.el), height: 240 });
      }
    }
  }

  // ---- OHLC candles drawn by a draw hook: wick from low to high, body from open to close ----
  class CandleChart {
    constructor(el) {
      this.el = el;
      this.plot = null;
      this.data = [[], [], [], [], []];
      this.intervalSeconds = 1;
    }

    set(candles, intervalSeconds) {
      this.intervalSeconds = intervalSeconds;
      this.data = [
        candles.map((c) => Date.parse(c.bucket_start) / 1000),
        candles.map((c) => num(c.open)),
        candles.map((c) => num(c.high)),
        candles.map((c) => num(c.low)),
        candles.map((c) => num(c.close)),
      ];
      this.render();
    }

    // a live price inside the newest candle's window moves its close, high and low
    quote(seconds, price) {
      const [t, , high, low, close] = this.data;
      const last = t.length - 1;
      if (last < 0 || seconds < t[last] || seconds >= t[last] + this.intervalSeconds) {
        return;
      }
      close[last] = price;
      high[last] = Math.max(high[last], price);
      low[last] = Math.min(low[last], price);
      this.render();
    }

    render() {
      this.el.dataset.points = this.data[0].length;
      if (this.plot === null) {
        const chart = this;
        this.plot = new uPlot({
          width: width(this.el),
          height: 300,
          scales: { x: { time: true } },
          axes: [{}, { size: 90, values: (u, ticks) => ticks.map((v) => v.toFixed(5)) }],
          series: [{},
            { label: 'open', show: true, stroke: 'transparent' },
            { label: 'high', stroke: 'transparent' },
            { label: 'low', stroke: 'transparent' },
            { label: 'close', stroke: 'transparent' }],
          hooks: { draw: [(u) => chart.drawCandles(u)] },
        }, this.data, this.el);
      } else {
        this.plot.setData(this.data);
      }
    }

    drawCandles(u) {
      const [t, open, high, low, close] = u.data;
      const ctx = u.ctx;
      // a body is 60 % of its window's width on the time axis
      const step = t.length > 0
        ? u.valToPos(t[0] + this.intervalSeconds, 'x', true) - u.valToPos(t[0], 'x', true) : 8;
      const body = Math.max(1, Math.min(40, step * 0.6));
      ctx.save();
      for (let i = 0; i < t.length; i++) {
        if (open[i] === null) {
          continue;
        }
        const x = u.valToPos(t[i], 'x', true);
        const up = close[i] >= open[i];
        ctx.strokeStyle = ctx.fillStyle = up ? '#2e7d32' : '#c62828';
        ctx.beginPath();
        ctx.moveTo(x, u.valToPos(high[i], 'y', true));
        ctx.lineTo(x, u.valToPos(low[i], 'y', true));
        ctx.stroke();
        const top = u.valToPos(Math.max(open[i], close[i]), 'y', true);
        const bottom = u.valToPos(Math.min(open[i], close[i]), 'y', true);
        ctx.fillRect(x - body / 2, top, body, Math.max(1, bottom - top));
      }
      ctx.restore();
    }

    clear() {
      this.set([], this.intervalSeconds);
    }

    resize() {
      if (this.plot !== null) {
        this.plot.setSize({ width: width(this.el), height: 300 });
      }
    }
  }

  const lagSeconds = new History();
  const lagRecords = new History();
  const throughput = new History();
  const delays = new History();
  const charts = {
    lagSeconds: new LineChart($('lag-seconds'), 's'),
    lagRecords: new LineChart($('lag-records'), 'records'),
    throughput: new LineChart($('throughput'), 'ticks/s'),
    delays: new LineChart($('delays'), 'ms'),
  };
  const candles = new CandleChart($('candles'));
  let settings = { symbol: 'EURUSD', quotes_ws_url: null, poll_interval_ms: 2000 };

  async function getJson(path) {
    const r = await fetch(path, { cache: 'no-store' });
    const body = await r.json();
    if (!r.ok) {
      throw new Error(path + ': ' + (body.error || r.status));
    }
    return body;
  }

  function cell(row, text, cls) {
    const td = row.insertCell();
    td.textContent = text;
    if (cls) {
      td.className = cls;
    }
    return td;
  }

  function showLag(lag) {
    const t = Date.parse(lag.at) / 1000;
    const seconds = new Map();
    const records = new Map();
    const body = $('groups').tBodies[0];
    body.replaceChildren();
    for (const g of lag.groups) {
      seconds.set(g.group, num(g.max_lag_seconds));
      records.set(g.group, g.lag);
      const row = body.insertRow();
      row.dataset.group = g.group;
      cell(row, g.group);
      cell(row, g.status, 'status-' + g.status);
      cell(row, String(g.members), 'num');
      cell(row, g.lag.toLocaleString('en'), 'num');
      cell(row, g.max_lag_seconds === null ? '?' : g.max_lag_seconds, 'num');
    }
    lagSeconds.push(t, seconds);
    lagRecords.push(t, records);
    charts.lagSeconds.draw(lagSeconds);
    charts.lagRecords.draw(lagRecords);
  }

  function showPipeline(p) {
    const t = Date.parse(p.at) / 1000;
    const rates = new Map([['in', num(p.ticks_in_per_second)]]);
    for (const [group, rate] of Object.entries(p.ticks_landed_per_second)) {
      rates.set('landed ' + group.replace(/^connect-/, ''), num(rate));
    }
    throughput.push(t, rates);
    const d = new Map([
      ['tick → quote p99', p.tick_to_quote.count > 0 ? num(p.tick_to_quote.p99_ms) : null],
      ['candle close p99', p.candle_close_delay.count > 0 ? num(p.candle_close_delay.p99_ms) : null],
    ]);
    delays.push(t, d);
    charts.throughput.draw(throughput);
    charts.delays.draw(delays);
  }

  let shownConnectors = null;

  function showConnectors(answer) {
    if (answer.error) {
      throw new Error('connectors: ' + answer.error);
    }
    // rebuilt only when something changed: a button stays put while it is being clicked
    const key = JSON.stringify(answer.connectors);
    if (key === shownConnectors) {
      return;
    }
    shownConnectors = key;
    const body = $('connectors').tBodies[0];
    body.replaceChildren();
    for (const c of answer.connectors) {
      const failedTasks = c.tasks.filter((task) => task.state === 'FAILED');
      const failed = c.state === 'FAILED' || failedTasks.length > 0;
      const row = body.insertRow();
      row.dataset.connector = c.name;
      cell(row, c.name);
      cell(row, c.type);
      cell(row, c.state, 'state-' + c.state);
      cell(row, c.tasks.map((task) => task.id + ':' + task.state).join(' '),
        failedTasks.length > 0 ? 'state-FAILED' : '');
      const trace = c.trace || (failedTasks[0] && failedTasks[0].trace) || '';
      cell(row, summary(trace), 'trace');
      const button = document.createElement('button');
      button.textContent = failed ? 'restart failed' : 'restart';
      button.className = 'restart';
      button.onclick = () => restart(c.name, failed, button);
      row.insertCell().appendChild(button);
    }
  }

  // a failure's first line (where Connect stopped the task) and its root cause (why)
  function summary(trace) {
    const lines = trace.split('\n');
    const causes = lines.filter((l) => l.startsWith('Caused by: '));
    const root = causes.length > 0 ? causes[causes.length - 1].slice('Caused by: '.length) : '';
    return [lines[0], root.slice(0, 300)].filter((l) => l !== '').join('\n');
  }

  async function restart(name, onlyFailed, button) {
    button.disabled = true;
    button.textContent = 'restarting…';
    const r = await fetch('/api/connectors/' + encodeURIComponent(name) + '/restart?only_failed='
      + onlyFailed, { method: 'POST' });
    if (!r.ok) {
      const body = await r.json();
      showErrors(['restart ' + name + ': ' + (body.error || r.status)]);
    }
  }

  function showStatus(status) {
    const list = $('components');
    list.replaceChildren();
    for (const c of status.components) {
      const li = document.createElement('li');
      li.textContent = c.component;
      li.title = c.endpoint;
      li.className = c.up ? 'up' : 'down';
      list.appendChild(li);
    }
    $('updated').textContent = 'updated ' + new Date(Date.parse(status.checked_at))
      .toLocaleTimeString();
  }

  function showErrors(errors) {
    const p = $('errors');
    p.hidden = errors.length === 0;
    p.textContent = errors.join('; ');
  }

  const INTERVAL_SECONDS = { s: 1, m: 60, h: 3600, d: 86400 };

  async function refreshCandles() {
    const symbol = $('symbol').value.trim().toUpperCase();
    const interval = $('interval').value;
    if (!SYMBOL.test(symbol)) {
      $('candles-note').textContent = 'not a symbol: ' + symbol;
      return;
    }
    const answer = await getJson('/api/candles?symbol=' + encodeURIComponent(symbol) + '&interval='
      + interval + '&limit=120');
    const seconds = Number(interval.slice(0, -1)) * INTERVAL_SECONDS[interval.slice(-1)];
    if (answer.error) {
      candles.clear();
      $('candles-note').textContent = answer.error;
      return;
    }
    // the candles app answers newest first
    candles.set(answer.candles.slice().reverse(), seconds);
    $('candles-note').textContent = answer.candles.length + ' candles of ' + symbol + ' ' + interval
      + ' (the newest still open), live between polls from the quotes WebSocket (mid)';
  }

  async function poll() {
    const errors = [];
    const parts = [
      ['/api/lag', showLag],
      ['/api/pipeline', showPipeline],
      ['/api/connectors', showConnectors],
      ['/api/status', showStatus],
    ];
    await Promise.all(parts.map(async ([path, show]) => {
      try {
        show(await getJson(path));
      } catch (e) {
        errors.push(e.message);
      }
    }));
    try {
      await refreshCandles();
    } catch (e) {
      errors.push(e.message);
    }
    showErrors(errors);
  }

  // ---- live quotes of the chosen symbol: one WebSocket, opened again (backing off) when it closes ----
  let wanted = null;
  let socket = null;
  let retryMs = 1000;
  let retryTimer = null;

  function follow(symbol) {
    if (!settings.quotes_ws_url || !SYMBOL.test(symbol) || symbol === wanted) {
      return;
    }
    wanted = symbol;
    retryMs = 1000;
    clearTimeout(retryTimer);
    openSocket();
  }

  function openSocket() {
    if (socket !== null) {
      socket.onclose = null;
      socket.close();
    }
    const ws = new WebSocket(settings.quotes_ws_url + '?symbols=' + encodeURIComponent(wanted));
    socket = ws;
    ws.onopen = () => {
      retryMs = 1000;
    };
    ws.onmessage = (event) => {
      const q = JSON.parse(event.data);
      if (q.symbol !== wanted) {
        return;
      }
      $('quote').textContent = q.bid + ' / ' + q.ask + ' at ' + new Date(q.ts).toLocaleTimeString();
      candles.quote(q.ts / 1000, (Number(q.bid) + Number(q.ask)) / 2);
    };
    ws.onclose = (event) => {
      socket = null;
      // e.g. "no quote for X": the quotes app has not seen the symbol (yet)
      $('quote').textContent = 'no live quotes' + (event.reason ? ': ' + event.reason : '');
      retryTimer = setTimeout(openSocket, retryMs);
      retryMs = Math.min(retryMs * 2, 30000);
    };
  }

  async function start() {
    // the API answers 503 until the service's first poll: wait for it here, quietly
    for (;;) {
      settings = await getJson('/api/dashboard');
      if (settings.ready) {
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    $('symbol').value = settings.symbol;
    $('symbol').onchange = () => {
      follow($('symbol').value.trim().toUpperCase());
      refreshCandles().catch((e) => showErrors([e.message]));
    };
    $('interval').onchange = () => refreshCandles().catch((e) => showErrors([e.message]));
    window.addEventListener('resize', () => {
      Object.values(charts).forEach((c) => c.resize());
      candles.resize();
    });
    follow(settings.symbol);
    for (;;) {
      await poll();
      await new Promise((resolve) => setTimeout(resolve, settings.poll_interval_ms));
    }
  }

  start().catch((e) => showErrors([e.message]));
})();
