package io.holdfast.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How a cost grows: one panel per metric, the metric (linear, from 0 or below) against the size (log
 * scale), one line per library. Hand-written SVG in the style of {@link SvgChart}.
 */
final class CurveChart {

    private static final int W = 460;
    private static final int H = 280;
    private static final int COLUMNS = 2;
    private static final int LEFT = 64;
    private static final int TOP = 34;
    private static final int PLOT_W = W - LEFT - 20;
    private static final int PLOT_H = H - TOP - 46;
    private static final List<Library> ORDER = List.of(Library.HOLDFAST, Library.REDISSON, Library.SPRING, Library.FLOOR);
    private static final String[] COLORS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#7f7f7f"};

    /** Points (size, value) per library, sizes ascending. */
    private record Panel(String title, Map<Library, List<double[]>> series) {
    }

    private final String xLabel;
    private final List<Panel> panels = new ArrayList<>();

    CurveChart(String xLabel) {
        this.xLabel = xLabel;
    }

    /** Adds a panel unless no library has a point. */
    void add(String title, Map<Library, List<double[]>> series) {
        if (series.values().stream().anyMatch(p -> !p.isEmpty())) {
            panels.add(new Panel(title, series));
        }
    }

    String svg() {
        int rows = Math.max(1, (panels.size() + COLUMNS - 1) / COLUMNS);
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"11\">\n",
                W * COLUMNS, H * rows + 30));
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        for (int i = 0; i < ORDER.size(); i++) {
            int x = LEFT + i * 100;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"16\" x2=\"%d\" y2=\"16\" stroke=\"%s\" stroke-width=\"3\"/>"
                    + "<text x=\"%d\" y=\"20\">%s</text>\n", x, x + 24, COLORS[i], x + 30, ORDER.get(i).label()));
        }
        for (int i = 0; i < panels.size(); i++) {
            panel(s, panels.get(i), (i % COLUMNS) * W, 30 + (i / COLUMNS) * H);
        }
        return s.append("</svg>\n").toString();
    }

    private void panel(StringBuilder s, Panel p, int ox, int oy) {
        double xMinLog = Double.MAX_VALUE;
        double xMaxLog = -Double.MAX_VALUE;
        double yMax = 0;
        double yMin = 0;
        for (List<double[]> points : p.series().values()) {
            for (double[] pt : points) {
                xMinLog = Math.min(xMinLog, Math.log10(pt[0]));
                xMaxLog = Math.max(xMaxLog, Math.log10(pt[0]));
                yMax = Math.max(yMax, pt[1]);
                yMin = Math.min(yMin, pt[1]);
            }
        }
        xMinLog = Math.floor(xMinLog);
        xMaxLog = Math.max(xMinLog + 1, Math.ceil(xMaxLog));
        yMax = yMax <= 0 ? 1 : yMax * 1.1;
        yMin *= 1.1;
        int x0 = ox + LEFT;
        int y0 = oy + TOP;
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>\n", x0, oy + 20, escape(p.title())));
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>\n",
                x0, y0, PLOT_W, PLOT_H));
        for (int k = 0; k <= 4; k++) {
            double y = y0 + PLOT_H * (1 - k / 4.0);
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                    x0, y, x0 + PLOT_W, y, x0 - 4, y + 4, Target.fmt(yMin + (yMax - yMin) * k / 4)));
        }
        for (double e = xMinLog; e <= xMaxLog; e++) {
            double x = x0 + PLOT_W * (e - xMinLog) / (xMaxLog - xMinLog);
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                    x, y0 + PLOT_H + 14, Target.fmt(Math.pow(10, e))));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">%s (log)</text>\n",
                x0 + PLOT_W / 2, y0 + PLOT_H + 30, escape(xLabel)));
        for (int i = 0; i < ORDER.size(); i++) {
            List<double[]> points = p.series().getOrDefault(ORDER.get(i), List.of());
            if (points.isEmpty()) {
                continue;
            }
            s.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(COLORS[i]).append("\" points=\"");
            StringBuilder dots = new StringBuilder();
            for (double[] pt : points) {
                double x = x0 + PLOT_W * (Math.log10(pt[0]) - xMinLog) / (xMaxLog - xMinLog);
                double y = y0 + PLOT_H * (1 - (pt[1] - yMin) / (yMax - yMin));
                s.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                dots.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>", x, y, COLORS[i]));
            }
            s.append("\"/>\n").append(dots).append('\n');
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
