#include "pictures/text.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace alertflow::pictures {

std::string xml_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&apos;"; break;
        default: out += c;
        }
    }
    return out;
}

std::string dot_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        default: out += c;
        }
    }
    return out;
}

std::string mermaid_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case ';': out += "#59;"; break;
        case '#': out += "#35;"; break;
        case '<': out += "#lt;"; break;
        case '>': out += "#gt;"; break;
        case '\n': out += ' '; break;
        default: out += c;
        }
    }
    return out;
}

double text_width(std::string_view line, double font_size) {
    double em = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(line[i]);
        if (c >= 0x80) {  // one glyph per UTF-8 sequence: count only its lead byte
            if ((c & 0xc0) == 0xc0) em += 0.65;
            continue;
        }
        if (std::string_view(" .,:;'|!ijlI()[]").find(static_cast<char>(c)) != std::string_view::npos) em += 0.34;
        else if (std::string_view("ftr-").find(static_cast<char>(c)) != std::string_view::npos) em += 0.42;
        else if (std::string_view("mwMW").find(static_cast<char>(c)) != std::string_view::npos) em += 0.9;
        else if (c >= 'A' && c <= 'Z') em += 0.72;
        else em += 0.6;
    }
    return em * font_size;
}

std::vector<std::string> wrap(std::string_view text, std::size_t max_chars) {
    std::vector<std::string> lines;
    std::string line;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && text[i] == ' ') ++i;
        if (i >= text.size()) break;
        std::size_t end = text.find(' ', i);
        if (end == std::string_view::npos) end = text.size();
        const std::string_view word = text.substr(i, end - i);
        if (!line.empty() && line.size() + 1 + word.size() > max_chars) {
            lines.push_back(line);
            line.clear();
        }
        line += line.empty() ? "" : " ";
        line += word;
        i = end;
    }
    if (!line.empty() || lines.empty()) lines.push_back(line);
    return lines;
}

std::string num(double value) {
    double r = std::round(value * 10) / 10;
    if (r == 0) r = 0;  // no "-0"
    if (r == std::round(r)) return fmt::format("{}", static_cast<long long>(r));
    return fmt::format("{:.1f}", r);
}

}  // namespace alertflow::pictures
