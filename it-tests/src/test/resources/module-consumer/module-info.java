// A user's module, compiled and run by ModulePathTest on the module path: it names core alone; the
// kinds and the watchdog come in by service binding (core's `uses`).
module example.consumer {
    requires io.holdfast.core;
}
