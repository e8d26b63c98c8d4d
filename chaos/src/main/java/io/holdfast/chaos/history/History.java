package io.holdfast.chaos.history;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

/** The merged events of a run: every process's holds, waits and errors, and the runner's fault windows. */
public final class History {

    final List<Hold> holds = new ArrayList<>();
    final List<Wait> waits = new ArrayList<>();
    final List<FaultWindow> faults = new ArrayList<>();
    final List<Event.ErrorEvent> errors = new ArrayList<>();

    /** Adds one event. */
    public History add(Event event) {
        if (event instanceof Event.HoldEvent h) {
            holds.add(h.hold());
        } else if (event instanceof Event.WaitEvent w) {
            waits.add(w.attempt());
        } else if (event instanceof Event.FaultEvent f) {
            faults.add(f.fault());
        } else {
            errors.add((Event.ErrorEvent) event);
        }
        return this;
    }

    /** Adds every event line among {@code lines}; other lines are skipped. */
    public History addLines(Collection<String> lines) {
        for (String line : lines) {
            Event e = Event.parse(line);
            if (e != null) {
                add(e);
            }
        }
        return this;
    }

    /** Adds every event line of a history file. */
    public History addFile(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            lines.map(Event::parse).filter(e -> e != null).forEach(this::add);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<Hold> holds() {
        return holds;
    }

    public List<FaultWindow> faults() {
        return faults;
    }

    public List<Event.ErrorEvent> errors() {
        return errors;
    }
}
