#pragma once
// What every picture format shares: escaping text for each format, estimating how wide a line
// of text is drawn (no font metrics without an outside program: a per-character estimate that
// errs on the wide side for common sans-serif fonts), wrapping long labels, and printing
// coordinates.
#include <string>
#include <string_view>
#include <vector>

namespace alertflow::pictures {

// XML text and attribute values: & < > " '.
std::string xml_escape(std::string_view text);

// A Graphviz DOT double-quoted string's contents: " and \ escaped, newlines as \n.
std::string dot_escape(std::string_view text);

// Mermaid message and label text: characters Mermaid would read as syntax (; # < > and line
// breaks) become its entity codes (#59; and so on).
std::string mermaid_escape(std::string_view text);

// The drawn width of one line at `font_size` pixels.
double text_width(std::string_view line, double font_size);

// Words of `text` as lines of at most `max_chars` characters (a longer word stays whole).
std::vector<std::string> wrap(std::string_view text, std::size_t max_chars);

// A coordinate with at most one decimal: 12, 12.5, -3.
std::string num(double value);

}  // namespace alertflow::pictures
