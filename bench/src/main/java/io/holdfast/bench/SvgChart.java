package io.holdfast.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * Latency distributions as an SVG: one panel per charted scenario, latency (log scale) against
 * percentile (0 to 99.9 on a "nines" scale), Holdfast, Redisson and (where it ran) Spring side by side. Hand-written
 * SVG, no dependencies.
 */
final class SvgChart {

    private static final int W = 460;
    private static final int H = 280;
    private static final int COLUMNS = 2;
    private static final int LEFT = 60;
    private static final int TOP = 34;
    private static final int PLOT_W = W - LEFT - 20;
    private static final int PLOT_H = H - TOP - 46;
    private static final double MAX_NINES = 3; // 99.9th percentile
    private static final String[] COLORS = {"#1f77b4", "#ff7f0e", "#2ca02c"};

    private record Panel(String title, List<Histogram> series) {
    }

    private final List<Panel> panels = new ArrayList<>();

    /** A panel if Holdfast and Redisson both have values; Spring's line is drawn only where it ran. */
    void add(String title, Histogram holdfast, Histogram redisson, Histogram spring) {
        if (holdfast.getTotalCount() > 0 && redisson.getTotalCount() > 0) {
            panels.add(new Panel(title, List.of(holdfast, redisson, spring)));
        }
    }

    String svg() {
        int rows = (panels.size() + COLUMNS - 1) / COLUMNS;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"11\">\n",
                W * COLUMNS, H * rows + 30));
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        legend(s);
        for (int i = 0; i < panels.size(); i++) {
            panel(s, panels.get(i), (i % COLUMNS) * W, 30 + (i / COLUMNS) * H);
        }
        return s.append("</svg>\n").toString();
    }

    private static void legend(StringBuilder s) {
        String[] names = {"Holdfast", "Redisson", "Spring"};
        for (int i = 0; i < names.length; i++) {
            int x = LEFT + i * 110;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"16\" x2=\"%d\" y2=\"16\" stroke=\"%s\" stroke-width=\"3\"/>"
                    + "<text x=\"%d\" y=\"20\">%s</text>\n", x, x + 24, COLORS[i], x + 30, names[i]));
        }
        s.append("<text x=\"400\" y=\"20\" fill=\"#555\">latency (ms, log) by percentile</text>\n");
    }

    private void panel(StringBuilder s, Panel p, int ox, int oy) {
        double lo = Double.MAX_VALUE;
        double hi = 0;
        for (Histogram h : p.series()) {
            if (h.getTotalCount() == 0) {
                continue;
            }
            lo = Math.min(lo, Math.max(1e-3, h.getValueAtPercentile(0) / 1e6));
            hi = Math.max(hi, h.getValueAtPercentile(99.9) / 1e6);
        }
        double yMin = Math.floor(Math.log10(lo));
        double yMax = Math.max(yMin + 1, Math.ceil(Math.log10(hi)));
        int x0 = ox + LEFT;
        int y0 = oy + TOP;
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>\n", x0, oy + 20, p.title()));
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>\n",
                x0, y0, PLOT_W, PLOT_H));
        for (double e = yMin; e <= yMax; e++) {
            double y = y0 + PLOT_H * (1 - (e - yMin) / (yMax - yMin));
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                    x0, y, x0 + PLOT_W, y, x0 - 4, y + 4, Target.fmt(Math.pow(10, e))));
        }
        String[] ticks = {"0", "90", "99", "99.9"};
        for (int n = 0; n <= MAX_NINES; n++) {
            double x = x0 + PLOT_W * n / MAX_NINES;
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                    x, y0 + PLOT_H + 14, ticks[n]));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">percentile</text>\n",
                x0 + PLOT_W / 2, y0 + PLOT_H + 30));
        for (int i = 0; i < p.series().size(); i++) {
            Histogram h = p.series().get(i);
            if (h.getTotalCount() == 0) {
                continue;
            }
            s.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(COLORS[i]).append("\" points=\"");
            for (int step = 0; step <= 60; step++) {
                double nines = MAX_NINES * step / 60;
                double pct = 100 * (1 - Math.pow(10, -nines));
                double ms = Math.max(Math.pow(10, yMin), h.getValueAtPercentile(pct) / 1e6);
                double x = x0 + PLOT_W * nines / MAX_NINES;
                double y = y0 + PLOT_H * (1 - (Math.log10(ms) - yMin) / (yMax - yMin));
                s.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            s.append("\"/>\n");
        }
    }
}
