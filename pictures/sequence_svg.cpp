// The sequence diagram as a self-contained SVG, laid out by our own code: participant boxes at the
// top and bottom, dashed lifelines, one band per step with its number in the left margin, solid
// arrows for the steps' own actions and dashed ones for their knock-on effects, labels wrapped
// and kept clear of the lifelines they cross by a halo in the band's colour.
#include <algorithm>
#include <numeric>

#include <fmt/format.h>

#include "pictures/sequence.hpp"
#include "pictures/text.hpp"

namespace alertflow::pictures {

namespace {

constexpr double kFont = 13;        // px
constexpr double kLine = 17;        // px between baselines
constexpr double kMargin = 16;
constexpr double kGutter = 44;      // left margin holding the step numbers
constexpr double kBoxHeight = 32;
constexpr double kLoopWidth = 34;   // a self-message's loop
constexpr double kLoopHeight = 20;
constexpr std::size_t kWrap = 44;   // characters per label line
constexpr const char* kBandFill[2] = {"#f3f6fb", "#ffffff"};

struct Placed {
    std::vector<std::string> lines;
    double width = 0;
    int from = 0;  // participant indexes
    int to = 0;
};

double widest(const std::vector<std::string>& lines) {
    double w = 0;
    for (const auto& l : lines) w = std::max(w, text_width(l, kFont));
    return w;
}

void text_lines(std::string& out, const std::vector<std::string>& lines, double x, double first_baseline,
                std::string_view anchor, std::string_view halo) {
    out += fmt::format(R"svg(  <text x="{}" y="{}" text-anchor="{}" paint-order="stroke" stroke="{}" stroke-width="4" )svg"
                       R"svg(stroke-linejoin="round" fill="#111827">)svg",
                       num(x), num(first_baseline), anchor, halo);
    for (std::size_t i = 0; i < lines.size(); ++i)
        out += fmt::format(R"svg(<tspan x="{}" dy="{}">{}</tspan>)svg", num(x), i == 0 ? "0" : num(kLine), xml_escape(lines[i]));
    out += "</text>\n";
}

}  // namespace

std::string sequence_svg(const Sequence& seq) {
    const int n = static_cast<int>(seq.participants.size());
    std::vector<double> box(n);
    for (int i = 0; i < n; ++i) box[i] = text_width(lifeline_name(seq.participants[i]), kFont) + 24;
    const auto index_of = [&](Lifeline l) {
        return static_cast<int>(std::find(seq.participants.begin(), seq.participants.end(), l) - seq.participants.begin());
    };

    // Labels, wrapped; then the gaps between lifelines, widened until every label fits its arrow.
    std::vector<Placed> placed;
    for (const Message& m : seq.messages) {
        Placed p;
        p.lines = wrap(fmt::format("{}. {}", m.step, m.label), kWrap);
        p.width = widest(p.lines);
        p.from = index_of(m.from);
        p.to = index_of(m.to);
        placed.push_back(std::move(p));
    }
    std::vector<double> gap(std::max(n - 1, 0));
    for (int i = 0; i + 1 < n; ++i) gap[i] = (box[i] + box[i + 1]) / 2 + 28;
    double right_extra = n > 0 ? box[n - 1] / 2 : 0;
    std::vector<std::size_t> order(placed.size());
    std::iota(order.begin(), order.end(), 0);
    const auto span = [&](const Placed& p) { return std::abs(p.to - p.from); };
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return span(placed[a]) < span(placed[b]); });
    for (const std::size_t k : order) {
        const Placed& p = placed[k];
        if (p.from == p.to) {
            const double need = kLoopWidth + 10 + p.width + 14;
            if (p.from + 1 < n) gap[p.from] = std::max(gap[p.from], need);
            else right_extra = std::max(right_extra, need);
            continue;
        }
        const int lo = std::min(p.from, p.to);
        const int hi = std::max(p.from, p.to);
        const double need = p.width + 32;
        double have = 0;
        for (int i = lo; i < hi; ++i) have += gap[i];
        if (have < need)
            for (int i = lo; i < hi; ++i) gap[i] += (need - have) / (hi - lo);
    }
    std::vector<double> x(n);
    if (n > 0) x[0] = kGutter + kMargin + box[0] / 2;
    for (int i = 1; i < n; ++i) x[i] = x[i - 1] + gap[i - 1];
    // A label that fits its arrow's length on one line is not wrapped after all.
    for (std::size_t k = 0; k < placed.size(); ++k) {
        Placed& p = placed[k];
        if (p.from == p.to || p.lines.size() == 1) continue;
        const std::string whole = fmt::format("{}. {}", seq.messages[k].step, seq.messages[k].label);
        const double one_line = text_width(whole, kFont);
        if (one_line + 32 <= std::abs(x[p.to] - x[p.from])) {
            p.lines = {whole};
            p.width = one_line;
        }
    }
    const double left = n > 0 ? x[0] - box[0] / 2 : kGutter + kMargin;
    const double right = n > 0 ? x[n - 1] + std::max(box[n - 1] / 2, right_extra) : left;

    // The set-up note spans the lifelines; its text wraps to that width.
    const double note_span = std::max(right - left, 240.0);
    const auto note_lines = wrap("0. " + seq.set_up, std::max<std::size_t>(24, static_cast<std::size_t>((note_span - 20) / (kFont * 0.62))));
    const double note_width = std::max(note_span, widest(note_lines) + 20);
    const double width = std::max(right, left + note_width) + kMargin;

    std::string body;
    double y = kMargin;
    const double header_top = y;
    y += kBoxHeight + 14;
    const double note_top = y;
    const double note_height = static_cast<double>(note_lines.size()) * kLine + 12;
    y += note_height + 14;

    // Steps: bands behind, then arrows and labels.
    std::string bands;
    std::string arrows;
    std::size_t k = 0;
    for (int step = 1; step <= seq.steps; ++step) {
        const double band_top = y;
        const char* fill = kBandFill[step % 2];
        y += 6;
        for (; k < seq.messages.size() && seq.messages[k].step == step; ++k) {
            const Message& m = seq.messages[k];
            const Placed& p = placed[k];
            const std::string stroke = m.knock_on ? "#4b5563" : "#1f2937";
            const std::string dash = m.knock_on ? R"svg( stroke-dasharray="6 4")svg" : "";
            const std::string head = m.knock_on ? "af-head-knock" : "af-head";
            const double lines = static_cast<double>(p.lines.size());
            if (p.from == p.to) {
                const double lx = x[p.from];
                const double top = y + 6;
                arrows += fmt::format(R"svg(  <path d="M{},{} h{} v{} h{}" fill="none" stroke="{}" stroke-width="1.6"{} marker-end="url(#{})"/>)svg"
                                      "\n",
                                      num(lx), num(top), num(kLoopWidth), num(kLoopHeight), num(-kLoopWidth + 2), stroke, dash, head);
                text_lines(arrows, p.lines, lx + kLoopWidth + 10, y + 13, "start", fill);
                y = std::max(y + lines * kLine, top + kLoopHeight) + 10;
            } else {
                const double xa = x[p.from];
                const double xb = x[p.to];
                text_lines(arrows, p.lines, (xa + xb) / 2, y + 13, "middle", fill);
                const double ya = y + lines * kLine + 6;
                const double tip = xb > xa ? xb - 2 : xb + 2;
                arrows += fmt::format(R"svg(  <line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1.6"{} marker-end="url(#{})"/>)svg"
                                      "\n",
                                      num(xa), num(ya), num(tip), num(ya), stroke, dash, head);
                y = ya + 10;
            }
        }
        y += 2;
        bands += fmt::format(R"svg(  <rect x="0" y="{}" width="{}" height="{}" fill="{}"/>)svg"
                             "\n",
                             num(band_top), num(width), num(y - band_top), fill);
        bands += fmt::format(R"svg(  <text x="{}" y="{}" text-anchor="middle" font-weight="bold" fill="#6b7280">{}</text>)svg"
                             "\n",
                             num(kGutter / 2 + 4), num(band_top + 20), step);
    }
    const double footer_top = y + 10;
    const double height = footer_top + kBoxHeight + kMargin;

    // Lifelines and participant boxes.
    std::string lifelines;
    std::string boxes;
    for (int i = 0; i < n; ++i) {
        lifelines += fmt::format(R"svg(  <line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#9ca3af" stroke-width="1" stroke-dasharray="4 4"/>)svg"
                                 "\n",
                                 num(x[i]), num(header_top + kBoxHeight), num(x[i]), num(footer_top));
        const std::string name = xml_escape(lifeline_name(seq.participants[i]));
        for (const double top : {header_top, footer_top})
            boxes += fmt::format(R"svg(  <rect x="{}" y="{}" width="{}" height="{}" rx="6" fill="#e8f0fe" stroke="#3b5b92" stroke-width="1.2"/>)svg"
                                 "\n"
                                 R"svg(  <text x="{}" y="{}" text-anchor="middle" font-weight="bold" fill="#1e3a8a">{}</text>)svg"
                                 "\n",
                                 num(x[i] - box[i] / 2), num(top), num(box[i]), num(kBoxHeight), num(x[i]),
                                 num(top + kBoxHeight / 2 + 4.5), name);
    }
    std::string note = fmt::format(R"svg(  <rect x="{}" y="{}" width="{}" height="{}" rx="4" fill="#fef9c3" stroke="#ca8a04" stroke-width="1"/>)svg"
                                   "\n",
                                   num(left), num(note_top), num(note_width), num(note_height));
    text_lines(note, note_lines, left + 10, note_top + 6 + 13, "start", "#fef9c3");

    body = bands + lifelines + boxes + note + arrows;
    std::string out = fmt::format(
        R"svg(<?xml version="1.0" encoding="UTF-8"?>)svg"
        "\n"
        R"svg(<svg xmlns="http://www.w3.org/2000/svg" width="{0}" height="{1}" viewBox="0 0 {0} {1}" )svg"
        R"svg(font-family="Segoe UI, Helvetica, Arial, sans-serif" font-size="{2}">)svg"
        "\n",
        num(width), num(height), num(kFont));
    out += "  <title>alertflow trace</title>\n";
    out += "  <defs>\n";
    for (const auto& [id, colour] : {std::pair{"af-head", "#1f2937"}, std::pair{"af-head-knock", "#4b5563"}})
        out += fmt::format(R"svg(    <marker id="{}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" )svg"
                           R"svg(markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{}"/></marker>)svg"
                           "\n",
                           id, colour);
    out += "  </defs>\n";
    out += fmt::format(R"svg(  <rect x="0" y="0" width="{}" height="{}" fill="#ffffff"/>)svg"
                       "\n",
                       num(width), num(height));
    out += body;
    out += "</svg>\n";
    return out;
}

}  // namespace alertflow::pictures
