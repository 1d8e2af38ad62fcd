import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../../daemon/http/metrics.js';

describe('Metrics', () => {
  it('counts messages, bytes, savings, verdicts, sessions and queue depths', async () => {
    const m = createMetrics({ processMetrics: false });
    m.messageOut('b', 'tokennative', 100, 250);
    m.messageOut('b', 'tokennative', 50);
    m.messageIn('c', 'brotli', 40, 90);
    m.saved('tokennative', 150, 12);
    m.saved('none', -5, -1);
    m.scan('out', { safe: true, blocked: false, threat: null }, 0.2);
    m.scan('in', { safe: false, blocked: true, threat: 'jailbreak' }, 3);
    m.sessionOpened('ws');
    m.sessionOpened('ws');
    m.sessionClosed('ws');
    m.setSessions('quic', 4);
    m.setQueueDepth('b', 7);
    m.routerEvents.routed('local', 'a', 33);
    const t = await m.text();
    expect(t).toContain('m2m_messages_total{direction="out",peer="b",codec="tokennative"} 2');
    expect(t).toContain('m2m_wire_bytes_total{direction="out",peer="b",codec="tokennative"} 150');
    expect(t).toContain('m2m_json_bytes_total{direction="out",peer="b",codec="tokennative"} 250');
    expect(t).toContain('m2m_messages_total{direction="in",peer="c",codec="brotli"} 1');
    expect(t).toContain('m2m_bytes_saved_total{codec="tokennative"} 150');
    expect(t).toContain('m2m_tokens_saved_total{codec="tokennative"} 12');
    expect(t).not.toContain('m2m_bytes_saved_total{codec="none"}');
    expect(t).toContain('m2m_scan_verdicts_total{direction="out",verdict="safe",threat="none"} 1');
    expect(t).toContain('m2m_scan_verdicts_total{direction="in",verdict="blocked",threat="jailbreak"} 1');
    expect(t).toContain('m2m_scan_latency_seconds_bucket{le="0.00025",direction="out"} 1');
    expect(t).toContain('m2m_scan_latency_seconds_count{direction="in"} 1');
    expect(t).toContain('m2m_sessions{transport="ws"} 1');
    expect(t).toContain('m2m_sessions{transport="quic"} 4');
    expect(t).toContain('m2m_queue_depth{peer="b"} 7');
    expect(t).toContain('m2m_messages_total{direction="local",peer="a",codec="json"} 1');
  });

  it('two instances do not share a registry; process metrics are optional', async () => {
    const a = createMetrics();
    const b = createMetrics({ processMetrics: false });
    a.setQueueDepth('x', 1);
    expect(await b.text()).not.toContain('m2m_queue_depth{peer="x"}');
    expect(await a.text()).toContain('m2m_process_resident_memory_bytes');
    expect(await b.text()).not.toContain('m2m_process_resident_memory_bytes');
  });
});
