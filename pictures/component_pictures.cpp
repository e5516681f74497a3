// Drawing a component's state diagram: Mermaid, Graphviz DOT, and SVG laid out by our own code.
//
// SVG layout: a state's column is its BFS depth from the initial state (states no edge reaches
// come last); within a column states are stacked in the order BFS found them and the column is
// centred. Edges between the same two states are drawn once, their labels stacked ("Event
// [guard]", one per row of the table). An edge to the next column is a straight line;
// every other edge (backwards, over columns, or within one) is an arc outside the rows: above
// them for states in the upper half, below for the lower half, on the right within a column.
// Self-loops sit on top of their state, labels above them.
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <utility>

#include <fmt/format.h>

#include "pictures/components.hpp"
#include "pictures/text.hpp"

namespace alertflow::pictures {

namespace {

constexpr double kFont = 13;
constexpr double kEdgeFont = 12;
constexpr double kEdgeLine = 15;
constexpr double kNodeHeight = 36;
constexpr double kRowGap = 56;
constexpr double kPad = 20;

std::string header_comment(const ComponentDiagram& d) {
    return fmt::format("{}: {} ({}), read from {}", d.name, d.title, d.instances, d.source);
}

struct Point {
    double x = 0;
    double y = 0;
};
Point operator+(Point a, Point b) { return {a.x + b.x, a.y + b.y}; }
Point operator-(Point a, Point b) { return {a.x - b.x, a.y - b.y}; }
Point operator*(Point a, double k) { return {a.x * k, a.y * k}; }

struct Bounds {
    double min_x = std::numeric_limits<double>::max();
    double min_y = std::numeric_limits<double>::max();
    double max_x = std::numeric_limits<double>::lowest();
    double max_y = std::numeric_limits<double>::lowest();
    void add(double x, double y) {
        min_x = std::min(min_x, x);
        min_y = std::min(min_y, y);
        max_x = std::max(max_x, x);
        max_y = std::max(max_y, y);
    }
    void add_rect(double x, double y, double w, double h) {
        add(x, y);
        add(x + w, y + h);
    }
};

struct Node {
    Point centre;
    double width = 0;
};

// Where the ray from the box's centre towards `toward` leaves the box.
Point boundary(const Node& n, Point toward) {
    const Point d = toward - n.centre;
    const double hw = n.width / 2;
    const double hh = kNodeHeight / 2;
    double scale = std::numeric_limits<double>::max();
    if (std::abs(d.x) > 1e-9) scale = std::min(scale, hw / std::abs(d.x));
    if (std::abs(d.y) > 1e-9) scale = std::min(scale, hh / std::abs(d.y));
    if (scale == std::numeric_limits<double>::max()) return n.centre;
    return n.centre + d * scale;
}

double widest(const std::vector<std::string>& lines, double font) {
    double w = 0;
    for (const auto& l : lines) w = std::max(w, text_width(l, font));
    return w;
}

// A block of edge labels with a white background, centred on `centre`; guards in their own colour.
void label_block(std::string& out, Bounds& bounds, const std::vector<std::string>& lines, Point centre) {
    const double w = widest(lines, kEdgeFont) + 8;
    const double h = static_cast<double>(lines.size()) * kEdgeLine + 4;
    const double x = centre.x - w / 2;
    const double y = centre.y - h / 2;
    bounds.add_rect(x, y, w, h);
    out += fmt::format(R"svg(  <rect x="{}" y="{}" width="{}" height="{}" rx="3" fill="#ffffff" fill-opacity="0.92"/>)svg"
                       "\n",
                       num(x), num(y), num(w), num(h));
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string& line = lines[i];
        const double baseline = y + 2 + kEdgeLine * static_cast<double>(i) + 11.5;
        const auto guard = line.find(" [");
        out += fmt::format(R"svg(  <text x="{}" y="{}" text-anchor="middle" font-size="{}" fill="#111827">)svg", num(centre.x),
                           num(baseline), num(kEdgeFont));
        if (guard == std::string::npos) {
            out += xml_escape(line);
        } else {
            out += xml_escape(line.substr(0, guard + 1));
            out += R"svg(<tspan fill="#b45309">)svg" + xml_escape(line.substr(guard + 1)) + "</tspan>";
        }
        out += "</text>\n";
    }
}

}  // namespace

std::string edge_label(const model::Edge& edge) {
    return edge.guard.empty() ? edge.event : fmt::format("{} [{}]", edge.event, edge.guard);
}

std::string component_mermaid(const ComponentDiagram& d) {
    std::string out = "stateDiagram-v2\n";
    out += fmt::format("    %% {}\n", header_comment(d));
    out += fmt::format("    [*] --> {}\n", d.initial);
    for (const auto& e : d.edges)
        out += fmt::format("    {} --> {} : {}\n", e.source, e.target, mermaid_escape(edge_label(e)));
    return out;
}

std::string component_dot(const ComponentDiagram& d) {
    std::string out = fmt::format("digraph \"{}\" {{\n", dot_escape(d.name));
    out += fmt::format(
        "    graph [rankdir=LR, fontname=\"Helvetica\", fontsize=12, labelloc=t, labeljust=l, label=\"{}\"];\n",
        dot_escape(header_comment(d)));
    out += "    node [shape=box, style=\"rounded,filled\", fillcolor=\"#e8f0fe\", color=\"#3b5b92\", fontname=\"Helvetica\", "
           "fontsize=12];\n";
    out += "    edge [fontname=\"Helvetica\", fontsize=10];\n";
    out += "    \"__initial\" [shape=point, width=0.15, label=\"\"];\n";
    for (const auto& s : d.states)
        out += fmt::format("    \"{}\"{};\n", dot_escape(s), s == d.initial ? " [penwidth=2]" : "");
    out += fmt::format("    \"__initial\" -> \"{}\";\n", dot_escape(d.initial));
    for (const auto& e : d.edges)
        out += fmt::format("    \"{}\" -> \"{}\" [label=\"{}\"];\n", dot_escape(e.source), dot_escape(e.target),
                           dot_escape(edge_label(e)));
    out += "}\n";
    return out;
}

std::string component_svg(const ComponentDiagram& d) {
    const std::size_t n = d.states.size();
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < n; ++i) index.emplace(d.states[i], i);

    // Columns: BFS depth from the initial state, edges followed in table order.
    std::vector<int> depth(n, -1);
    std::vector<std::size_t> found;
    depth[index.at(d.initial)] = 0;
    found.push_back(index.at(d.initial));
    for (std::size_t head = 0; head < found.size(); ++head) {
        const std::size_t s = found[head];
        for (const auto& e : d.edges) {
            if (index.at(e.source) != s) continue;
            const std::size_t t = index.at(e.target);
            if (depth[t] >= 0) continue;
            depth[t] = depth[s] + 1;
            found.push_back(t);
        }
    }
    int columns = 0;
    for (const std::size_t s : found) columns = std::max(columns, depth[s] + 1);
    const int unreached_column = columns;
    for (std::size_t s = 0; s < n; ++s)
        if (depth[s] < 0) {
            depth[s] = unreached_column;
            found.push_back(s);
            columns = unreached_column + 1;
        }
    std::vector<std::vector<std::size_t>> column(static_cast<std::size_t>(columns));
    for (const std::size_t s : found) column[static_cast<std::size_t>(depth[s])].push_back(s);

    // Edges grouped by (source, target), labels in table order; self-loops by state.
    std::vector<std::pair<std::pair<std::size_t, std::size_t>, std::vector<std::string>>> groups;
    std::vector<std::vector<std::string>> loops(n);
    for (const auto& e : d.edges) {
        const std::size_t s = index.at(e.source);
        const std::size_t t = index.at(e.target);
        if (s == t) {
            loops[s].push_back(edge_label(e));
            continue;
        }
        auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == std::pair{s, t}; });
        if (it == groups.end()) groups.push_back({{s, t}, {edge_label(e)}});
        else it->second.push_back(edge_label(e));
    }

    // Sizes, then positions.
    std::vector<Node> nodes(n);
    std::vector<double> loop_height(n, 0);
    for (std::size_t s = 0; s < n; ++s) {
        nodes[s].width = std::max(text_width(d.states[s], kFont) + 28, 72.0);
        if (!loops[s].empty()) loop_height[s] = 34 + static_cast<double>(loops[s].size()) * kEdgeLine;
    }
    std::vector<double> column_width(static_cast<std::size_t>(columns), 0);
    for (std::size_t s = 0; s < n; ++s) {
        auto& w = column_width[static_cast<std::size_t>(depth[s])];
        w = std::max({w, nodes[s].width, loops[s].empty() ? 0.0 : widest(loops[s], kEdgeFont) + 12});
    }
    std::vector<double> gap(static_cast<std::size_t>(std::max(columns - 1, 0)), 70);
    for (const auto& [ends, labels] : groups) {
        const int a = depth[ends.first];
        const int b = depth[ends.second];
        if (std::abs(a - b) != 1) continue;
        auto& g = gap[static_cast<std::size_t>(std::min(a, b))];
        g = std::max(g, widest(labels, kEdgeFont) + 40);
    }
    std::vector<double> column_x(static_cast<std::size_t>(columns), 0);
    for (std::size_t c = 1; c < column_x.size(); ++c)
        column_x[c] = column_x[c - 1] + column_width[c - 1] / 2 + gap[c - 1] + column_width[c] / 2;
    for (std::size_t c = 0; c < column.size(); ++c) {
        double y = 0;
        std::vector<double> centres;
        for (const std::size_t s : column[c]) {
            if (!centres.empty()) y += loop_height[s];
            centres.push_back(y + kNodeHeight / 2);
            y += kNodeHeight + kRowGap;
        }
        const double middle = (centres.front() + centres.back()) / 2;
        for (std::size_t i = 0; i < column[c].size(); ++i) nodes[column[c][i]].centre = {column_x[c], centres[i] - middle};
    }

    Bounds bounds;
    std::string edges_svg;
    std::string labels_svg;
    // Edges between two states: straight to the next column, arcs otherwise.
    for (const auto& [ends, labels] : groups) {
        const Node& from = nodes[ends.first];
        const Node& to = nodes[ends.second];
        const int span = depth[ends.second] - depth[ends.first];
        const double lines_height = static_cast<double>(labels.size()) * kEdgeLine + 4;
        const double block_width = widest(labels, kEdgeFont) + 8;
        Point label_at;
        if (span == 1) {
            const Point start = boundary(from, to.centre);
            const Point end = boundary(to, from.centre);
            edges_svg += fmt::format(R"svg(  <path d="M{},{} L{},{}" fill="none" stroke="#374151" stroke-width="1.4" marker-end="url(#af-state-head)"/>)svg"
                                     "\n",
                                     num(start.x), num(start.y), num(end.x), num(end.y));
            bounds.add(start.x, start.y);
            bounds.add(end.x, end.y);
            label_at = (start + end) * 0.5;
        } else {
            Point start;
            Point end;
            Point c1;
            Point c2;
            if (span == 0) {  // within a column: an arc on the right
                start = {from.centre.x + from.width / 2, from.centre.y};
                end = {to.centre.x + to.width / 2, to.centre.y};
                const double x = std::max(start.x, end.x) + 44;
                c1 = {x, start.y};
                c2 = {x, end.y};
            } else {  // backwards or over other columns: an arc above the upper half, below the lower
                const double side = (from.centre.y + to.centre.y) / 2 < -1e-6 ? -1 : 1;
                const double toward = to.centre.x > from.centre.x ? 1 : -1;
                start = {from.centre.x + toward * from.width / 3, from.centre.y + side * kNodeHeight / 2};
                end = {to.centre.x - toward * to.width / 3, to.centre.y + side * kNodeHeight / 2};
                const double extreme = side < 0 ? std::min(start.y, end.y) : std::max(start.y, end.y);
                const double y = extreme + side * (40 + 16 * (std::abs(span) - 1));
                c1 = {start.x, y};
                c2 = {end.x, y};
            }
            edges_svg += fmt::format(R"svg(  <path d="M{},{} C{},{} {},{} {},{}" fill="none" stroke="#374151" stroke-width="1.4" marker-end="url(#af-state-head)"/>)svg"
                                     "\n",
                                     num(start.x), num(start.y), num(c1.x), num(c1.y), num(c2.x), num(c2.y), num(end.x),
                                     num(end.y));
            for (const Point p : {start, c1, c2, end}) bounds.add(p.x, p.y);
            const Point apex = start * 0.125 + c1 * 0.375 + c2 * 0.375 + end * 0.125;
            if (span == 0) label_at = {apex.x + block_width / 2 + 4, apex.y};
            else label_at = {apex.x, apex.y + (apex.y < start.y ? -1 : 1) * (lines_height / 2 + 3)};
        }
        label_block(labels_svg, bounds, labels, label_at);
    }
    // Self-loops.
    for (std::size_t s = 0; s < n; ++s) {
        if (loops[s].empty()) continue;
        const Point c = nodes[s].centre;
        const double top = c.y - kNodeHeight / 2;
        edges_svg += fmt::format(R"svg(  <path d="M{},{} C{},{} {},{} {},{}" fill="none" stroke="#374151" stroke-width="1.4" marker-end="url(#af-state-head)"/>)svg"
                                 "\n",
                                 num(c.x - 12), num(top), num(c.x - 34), num(top - 36), num(c.x + 34), num(top - 36),
                                 num(c.x + 12), num(top));
        bounds.add(c.x - 34, top - 36);
        const double lines_height = static_cast<double>(loops[s].size()) * kEdgeLine + 4;
        label_block(labels_svg, bounds, loops[s], {c.x, top - 30 - lines_height / 2});
    }
    // States, and the initial marker.
    std::string nodes_svg;
    for (std::size_t s = 0; s < n; ++s) {
        const Node& node = nodes[s];
        const bool initial = d.states[s] == d.initial;
        const double x = node.centre.x - node.width / 2;
        const double y = node.centre.y - kNodeHeight / 2;
        bounds.add_rect(x, y, node.width, kNodeHeight);
        nodes_svg += fmt::format(R"svg(  <rect x="{}" y="{}" width="{}" height="{}" rx="12" fill="#e8f0fe" stroke="#3b5b92" stroke-width="{}"/>)svg"
                                 "\n"
                                 R"svg(  <text x="{}" y="{}" text-anchor="middle" font-weight="bold" fill="#1e3a8a">{}</text>)svg"
                                 "\n",
                                 num(x), num(y), num(node.width), num(kNodeHeight), initial ? "2.4" : "1.2", num(node.centre.x),
                                 num(node.centre.y + 4.5), xml_escape(d.states[s]));
        if (initial) {
            const double dot_x = x - 40;
            bounds.add(dot_x - 8, node.centre.y - 8);
            nodes_svg += fmt::format(R"svg(  <circle cx="{}" cy="{}" r="7" fill="#111827"/>)svg"
                                     "\n"
                                     R"svg(  <line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#374151" stroke-width="1.4" marker-end="url(#af-state-head)"/>)svg"
                                     "\n",
                                     num(dot_x), num(node.centre.y), num(dot_x + 7), num(node.centre.y), num(x - 1),
                                     num(node.centre.y));
        }
    }
    // The title above everything.
    const std::string title = fmt::format("{}: {}", d.name, d.title);
    const std::string subtitle = fmt::format("{}; read from {}; {} transition{}", d.instances, d.source, d.edges.size(),
                                             d.edges.size() == 1 ? "" : "s");
    const double title_x = bounds.min_x;
    const double title_y = bounds.min_y - 38;
    bounds.add_rect(title_x, title_y - 15, text_width(title, 15) * 1.05, 20);
    bounds.add_rect(title_x, title_y + 4, text_width(subtitle, 12), 18);
    const std::string title_svg = fmt::format(
        R"svg(  <text x="{}" y="{}" font-size="15" font-weight="bold" fill="#111827">{}</text>)svg"
        "\n"
        R"svg(  <text x="{}" y="{}" font-size="12" fill="#4b5563">{}</text>)svg"
        "\n",
        num(title_x), num(title_y), xml_escape(title), num(title_x), num(title_y + 17), xml_escape(subtitle));

    const double min_x = bounds.min_x - kPad;
    const double min_y = bounds.min_y - kPad;
    const double width = bounds.max_x - bounds.min_x + 2 * kPad;
    const double height = bounds.max_y - bounds.min_y + 2 * kPad;
    std::string out = fmt::format(
        R"svg(<?xml version="1.0" encoding="UTF-8"?>)svg"
        "\n"
        R"svg(<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" viewBox="{} {} {} {}" )svg"
        R"svg(font-family="Segoe UI, Helvetica, Arial, sans-serif" font-size="{}">)svg"
        "\n",
        num(std::ceil(width)), num(std::ceil(height)), num(min_x), num(min_y), num(std::ceil(width)), num(std::ceil(height)),
        num(kFont));
    out += fmt::format("  <title>{}</title>\n", xml_escape(title));
    out += "  <defs>\n"
           R"svg(    <marker id="af-state-head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9" markerHeight="9" )svg"
           R"svg(markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#374151"/></marker>)svg"
           "\n"
           "  </defs>\n";
    out += fmt::format(R"svg(  <rect x="{}" y="{}" width="{}" height="{}" fill="#ffffff"/>)svg"
                       "\n",
                       num(min_x), num(min_y), num(std::ceil(width)), num(std::ceil(height)));
    out += title_svg + edges_svg + nodes_svg + labels_svg;
    out += "</svg>\n";
    return out;
}

}  // namespace alertflow::pictures
