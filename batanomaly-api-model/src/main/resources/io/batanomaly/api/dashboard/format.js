// Turning the API's values into text a person reads, and building DOM nodes without ever
// parsing HTML: every value from the API goes in as text.

/**
 * Creates an element.
 * @param {string} tag the tag name
 * @param {object} props attributes (class, href, …); a `text` entry becomes the text content
 * @param {...(Node|string|null)} children appended in order; strings become text nodes
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name === 'text') {
      node.textContent = String(value);
    } else if (name === 'className') {
      node.className = value;
    } else {
      node.setAttribute(name, value === true ? '' : String(value));
    }
  }
  for (const child of children) {
    if (child !== null && child !== undefined) {
      node.append(child);
    }
  }
  return node;
}

const DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC', year: 'numeric', month: 'short', day: 'numeric',
  hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
});
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/;

/** An ISO-8601 instant as "2 Mar 2026, 09:43:00 UTC"; anything else unchanged. */
export function formatInstant(iso) {
  if (typeof iso !== 'string' || !ISO_INSTANT.test(iso)) {
    return iso === null || iso === undefined ? '' : String(iso);
  }
  return `${DATE_TIME.format(new Date(iso))} UTC`;
}

/** A <time> element showing an instant, with the machine-readable value in datetime. */
export function timeElement(iso) {
  return el('time', { datetime: iso, text: formatInstant(iso) });
}

const INTEGER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const DECIMAL = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });
const PERCENT = new Intl.NumberFormat('en-US', {
  style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 2,
});

/** A metric key such as baselineP95Millis as "Baseline p95 (ms)". */
export function metricLabel(key) {
  let unit = '';
  let name = key;
  if (/Millis$/.test(name) && name !== 'Millis') {
    name = name.slice(0, -'Millis'.length);
    unit = ' (ms)';
  } else if (/Percent$/.test(name) && name !== 'Percent') {
    name = name.slice(0, -'Percent'.length);
    unit = ' (%)';
  }
  const words = name
    .replace(/ZScore/g, 'Zscore')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_]+/)
    .filter((w) => w.length > 0)
    .map((w) => {
      const lower = w.toLowerCase();
      if (lower === 'id') {
        return 'ID';
      }
      if (lower === 'zscore') {
        return 'z-score';
      }
      return lower;
    });
  if (words.length === 0) {
    return key;
  }
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1) + unit;
}

function isShare(key) {
  return /(FailureRate|failureRate|ErrorRate|errorRate|Share|share|Fraction|fraction)$/.test(key);
}

/** A metric value as text: shares as percentages, instants as dates, numbers grouped. */
export function metricValue(key, value) {
  if (value === null || value === undefined) {
    return '—';
  }
  if (typeof value === 'number') {
    if (isShare(key) && value >= 0 && value <= 1) {
      return PERCENT.format(value);
    }
    return Number.isInteger(value) ? INTEGER.format(value) : DECIMAL.format(value);
  }
  if (typeof value === 'string') {
    return ISO_INSTANT.test(value) ? formatInstant(value) : value;
  }
  if (typeof value === 'boolean') {
    return value ? 'yes' : 'no';
  }
  return JSON.stringify(value);
}

/** A type such as HIGH_FAILURE_RATE as "High failure rate". */
export function typeLabel(type) {
  if (!type) {
    return '';
  }
  const text = String(type).toLowerCase().replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** What an anomaly is about, in one line: module/function@version, service or identifier. */
export function subjectOf(a) {
  if (a.policyModule || a.policyFunction) {
    const fn = [a.policyModule, a.policyFunction].filter(Boolean).join('/');
    return a.versionId ? `${fn} @ ${a.versionId}` : fn;
  }
  if (a.identifier) {
    return a.service ? `${a.identifier} on ${a.service}` : a.identifier;
  }
  return a.service || a.subject || a.id;
}

/** A badge for a severity or status: colour and text, never colour alone. */
export function badge(kind, value) {
  const v = String(value || '').toLowerCase();
  return el('span', { className: `badge badge-${kind} badge-${kind}-${v}`, text: value });
}

export function originLabel(origin) {
  switch (origin) {
    case 'DETECTOR': return 'Detector';
    case 'USER': return 'Person';
    case 'VERIFICATION': return 'Verification';
    default: return origin || '';
  }
}
