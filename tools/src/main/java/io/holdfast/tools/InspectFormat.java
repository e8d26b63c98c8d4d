package io.holdfast.tools;

import io.holdfast.LockState;
import io.holdfast.LockState.ClientProcess;
import io.holdfast.LockState.Holder;
import io.holdfast.LockState.Waiter;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** How {@code ./holdfast inspect} prints lock states: for people, or as JSON for scripts. */
final class InspectFormat {

    private InspectFormat() {
    }

    static String human(List<LockState> states) {
        if (states.isEmpty()) {
            return "no lock found (not held, nobody waiting)\n";
        }
        StringBuilder out = new StringBuilder();
        for (LockState s : states) {
            out.append("lock '").append(s.name()).append("'  ").append(s.kind());
            if (!s.kind().equals(s.mode())) {
                out.append(", ").append(s.mode());
            }
            out.append("  key ").append(s.key()).append(", lease ").append(millis(s.leaseRemainingMillis()))
                    .append(", last fencing token of its slot ").append(s.lastFencingToken()).append('\n');
            for (Holder h : s.holders()) {
                out.append("  holder   ").append(h.holderId()).append("  ").append(h.role()).append(" x")
                        .append(h.holdCount()).append("  lease ").append(millis(h.leaseRemainingMillis()))
                        .append("  ").append(process(h.process())).append('\n');
            }
            waiters(out, "waiter", s.waiters());
            waiters(out, "writer", s.waitingWriters());
            for (LockState.ConditionWaiters c : s.conditions()) {
                waiters(out, "awaiting '" + c.name() + "'", c.waiters());
            }
        }
        return out.toString();
    }

    private static void waiters(StringBuilder out, String what, List<Waiter> waiters) {
        for (Waiter w : waiters) {
            out.append("  ").append(what).append(" #").append(w.position()).append("  ").append(w.holderId())
                    .append("  ").append(w.deadlineRemainingMillis() > 0
                            ? "alive for " + millis(w.deadlineRemainingMillis()) + " unless renewed" : "dead (skipped)")
                    .append("  ").append(process(w.process())).append('\n');
        }
    }

    private static String process(ClientProcess p) {
        String who = p.host().isEmpty() ? "process unknown (no client record)"
                : p.host() + " pid " + p.pid() + " (client since " + Instant.ofEpochMilli(p.startedMillis()) + ")";
        String connected = p.connections() < 0 ? "connections unknown"
                : p.connections() == 0 ? "NOT connected" : p.connections() + " connections open";
        return who + ", " + connected;
    }

    private static String millis(long ms) {
        if (ms == -2) {
            return "none";
        }
        if (ms == -1) {
            return "no expiry";
        }
        return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    static String json(List<LockState> states) {
        StringBuilder out = new StringBuilder("{\"locks\":[");
        for (int i = 0; i < states.size(); i++) {
            LockState s = states.get(i);
            out.append(i == 0 ? "" : ",").append('{');
            field(out, "name", s.name()).append(',');
            field(out, "key", s.key()).append(',');
            field(out, "kind", s.kind()).append(',');
            field(out, "mode", s.mode()).append(',');
            out.append("\"leaseRemainingMillis\":").append(s.leaseRemainingMillis()).append(',');
            out.append("\"lastFencingToken\":").append(s.lastFencingToken()).append(',');
            out.append("\"serverTimeMillis\":").append(s.serverTimeMillis()).append(",\"holders\":[");
            for (int j = 0; j < s.holders().size(); j++) {
                Holder h = s.holders().get(j);
                out.append(j == 0 ? "" : ",").append('{');
                field(out, "holderId", h.holderId()).append(',');
                field(out, "role", h.role()).append(',');
                out.append("\"holdCount\":").append(h.holdCount()).append(",\"leaseRemainingMillis\":")
                        .append(h.leaseRemainingMillis()).append(",\"process\":");
                process(out, h.process()).append('}');
            }
            out.append("],\"waiters\":");
            waiters(out, s.waiters()).append(",\"waitingWriters\":");
            waiters(out, s.waitingWriters()).append(",\"conditions\":[");
            for (int j = 0; j < s.conditions().size(); j++) {
                LockState.ConditionWaiters c = s.conditions().get(j);
                out.append(j == 0 ? "" : ",").append('{');
                field(out, "name", c.name()).append(",\"waiters\":");
                waiters(out, c.waiters()).append('}');
            }
            out.append("]}");
        }
        return out.append("]}\n").toString();
    }

    private static StringBuilder waiters(StringBuilder out, List<Waiter> waiters) {
        out.append('[');
        for (int j = 0; j < waiters.size(); j++) {
            Waiter w = waiters.get(j);
            out.append(j == 0 ? "" : ",").append("{\"position\":").append(w.position()).append(',');
            field(out, "holderId", w.holderId()).append(",\"deadlineRemainingMillis\":")
                    .append(w.deadlineRemainingMillis()).append(",\"process\":");
            process(out, w.process()).append('}');
        }
        return out.append(']');
    }

    private static StringBuilder process(StringBuilder out, ClientProcess p) {
        out.append('{');
        field(out, "clientId", p.clientId()).append(',');
        field(out, "host", p.host()).append(",\"pid\":").append(p.pid()).append(",\"startedMillis\":")
                .append(p.startedMillis()).append(',');
        field(out, "connectionName", p.connectionName()).append(",\"connections\":").append(p.connections());
        return out.append('}');
    }

    private static StringBuilder field(StringBuilder out, String name, String value) {
        out.append('"').append(name).append("\":\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }
}
