#pragma once
// `alertflow report`: one self-contained HTML page about one configuration, for people who do not
// read terminal output. The page has the configuration (a table of the YAML keys, the ones that
// differ from the defaults marked), the verdict of every chosen property, and for each violated
// one its shortest counterexample twice: as a sequence diagram (pictures::trace_svg, inlined) and
// as the narrated trace (traces::counterexample_lines).
//
// The page works offline and without JavaScript: no script, no external style sheet, font or
// image; a Content-Security-Policy (default-src 'none') makes the browser refuse anything
// external, so a regression shows up as a console error in tests/browser/check_report.sh.
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "checker/explore.hpp"
#include "model/config.hpp"
#include "properties/verify.hpp"

namespace alertflow::cli {

struct ReportRequest {
    std::optional<std::string> config_path;  // none: the bundled default (the report's recommendation)
    std::string output_path = "report.html";
    std::vector<std::string> property_ids;   // none: the whole catalog
    checker::Limits limits;
};

// Checks the configuration and writes the page to request.output_path; says on `out` which file
// it wrote and the verdict counts. Returns the exit code `check` would give (0, 1, 3), the file
// written in each of these cases; 2 (nothing written) for a bad configuration or property id or
// an output file that cannot be written.
int run_report(const ReportRequest& request, std::ostream& out, std::ostream& err);

// The page itself. result.checks[i] is the verdict of chosen[i]. `description` is the YAML
// file's free text (shown under the title when not empty).
std::string report_html(const model::Config& config, const properties::Result& result,
                        const std::vector<const properties::Property*>& chosen, const std::string& title,
                        const std::string& description = "");

// Text made safe for HTML element content and attribute values: & < > " ' escaped.
std::string html_escape(std::string_view text);

// An SVG document made ready to sit inside an HTML page: the XML declaration and any DOCTYPE
// dropped, the SVG namespace attribute dropped (the HTML parser supplies it), and every id (and
// each `url(#id)` / `href="#id"` naming one) prefixed with `id_prefix`, so that several diagrams
// on one page do not share ids.
std::string inline_svg(std::string_view svg_document, std::string_view id_prefix);

}  // namespace alertflow::cli
