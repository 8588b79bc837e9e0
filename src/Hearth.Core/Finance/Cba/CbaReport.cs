using System.Globalization;
using System.Net;
using System.Text;
using ClosedXML.Excel;
using Hearth.Core.Finance.UnitCosts;

namespace Hearth.Core.Finance.Cba;

/// <summary>A named table of a CBA's figures: the same tables feed the CSV, the workbook and the HTML report.</summary>
public sealed record ReportTable(string Name, string[] Columns, IReadOnlyList<object?[]> Rows);

/// <summary>
/// Writes a CBA result for people: an HTML report with charts (PNG images inlined as data URIs), a CSV of every
/// intermediate figure in one long table (a <c>table</c> column says which), and an .xlsx workbook with one sheet
/// per table. Money is pounds to two decimals; rates and factors keep their full precision.
/// </summary>
public static class CbaReport
{
    public static IReadOnlyList<ReportTable> Tables(CbaResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var input = r.Input;
        var summary = new List<object?[]>
        {
            Row("Costs, present value", r.CostsPv, "Σ cost lines: amount uprated to the price year × (1 + optimism-bias cost uplift) × discount factor"),
            Row("Fiscal benefits, present value (gross)", r.FiscalPv, "all fiscal values including transfer payments"),
            Row("Cashable fiscal benefits, present value", r.CashablePv, "fiscal × cashability factor"),
            Row("Net present budget impact", r.NetPresentBudgetImpact, "cashable fiscal PV − costs PV"),
            Row("Financial ROI (ratio)", r.FinancialRoiRatio, "cashable fiscal PV ÷ costs PV; £ returned per £1 spent"),
            Row("Financial ROI (%)", r.FinancialRoiPercent, "(cashable fiscal PV − costs PV) ÷ costs PV"),
            Row("Payback year", r.PaybackYear, r.PaybackNote),
            Row("Transfer payments, present value", r.TransferPv, "fiscal values that are transfers (benefits, tax): excluded from public value"),
            Row("Economic benefits, present value", r.EconomicPv, string.Empty),
            Row("Social benefits, present value", r.SocialPv, string.Empty),
            Row("Public value, present value", r.PublicValuePv, "fiscal (excluding transfers, before cashability) + economic + social"),
            Row("Net present public value", r.NetPresentPublicValue, "public value PV − costs PV"),
            Row("Public value benefit cost ratio", r.BenefitCostRatio, "public value PV ÷ costs PV"),
        };

        return
        [
            new ReportTable("summary", ["measure", "value", "definition"], summary),
            new ReportTable("inputs",
                ["setting", "value"],
                [
                    ["analysis", input.Name],
                    ["price year", input.PriceYear.ToString()],
                    ["year 0", input.FirstYear.ToString()],
                    ["horizon (years)", input.HorizonYears],
                    ["discount schedule", string.Join("; ", input.Discount.Select(b => FormattableString.Invariant($"{Percent.Format(b.Rate, 2)} to year {b.ToYear}")))],
                    ["payback basis", input.Payback == PaybackBasis.Discounted ? "discounted" : "undiscounted"],
                    ["optimism bias source", input.OptimismBiasSource],
                    .. input.OptimismBias.Values.Select(g => new object?[] { $"optimism bias grade {g.Grade}", FormattableString.Invariant($"costs +{Percent.Format(g.CostUplift, 2)}, benefits −{Percent.Format(g.BenefitReduction, 2)} {g.Description}") }),
                    ["default cashability", input.DefaultCashability],
                    .. input.AgencyCashability.Select(p => new object?[] { $"cashability {p.Key}", p.Value }),
                ]),
            new ReportTable("years",
                ["year", "financial_year", "discount_factor", "costs", "costs_pv", "fiscal", "fiscal_pv", "cashable", "cashable_pv", "public_value", "public_value_pv", "cumulative_costs", "cumulative_cashable"],
                r.Years.Select(y => new object?[] { y.Year, y.Label.ToString(), y.DiscountFactor, y.Costs, y.CostsPv, y.Fiscal, y.FiscalPv, y.Cashable, y.CashablePv, y.PublicValue, y.PublicValuePv, y.CumulativeCosts, y.CumulativeCashable }).ToList()),
            new ReportTable("costs",
                ["year", "line", "agency", "type", "nominal", "uprate_factor", "uprated", "optimism_uplift", "adjusted", "discount_factor", "present_value"],
                r.Costs.Select(c => new object?[] { c.Year, c.LineId, c.Agency, c.Type.ToString(), c.Nominal, c.UprateFactor, c.Uprated, c.OptimismUplift, c.Adjusted, c.DiscountFactor, c.PresentValue }).ToList()),
            new ReportTable("profiles",
                ["line", "before_bias", "benefit_reduction", "per_year_at_peak", "explanation", .. Enumerable.Range(0, input.HorizonYears).Select(i => "year_" + i.ToString(CultureInfo.InvariantCulture))],
                r.Profiles.Select(p => (object?[])[p.LineId, p.BeforeBias, p.BenefitReduction, p.PerYearAtPeak, p.Explanation, .. p.CountByYear.Cast<object?>()]).ToList()),
            new ReportTable("benefits",
                ["year", "line", "unit_code", "value", "agency", "transfer", "count", "unit_value", "amount", "cashability", "cashable", "discount_factor", "present_value", "cashable_present_value", "in_public_value"],
                r.Benefits.Select(b => new object?[] { b.Year, b.LineId, b.UnitCode, b.Kind.ToString().ToLowerInvariant(), b.Agency, b.Transfer ? "yes" : "no", b.Count, b.UnitValue, b.Amount, b.Cashability, b.Cashable, b.DiscountFactor, b.PresentValue, b.CashablePresentValue, b.CountsInPublicValue ? "yes" : "no" }).ToList()),
            new ReportTable("who_benefits",
                ["agency", "costs_pv", "fiscal_pv", "cashable_pv", "net_cashable_pv"],
                [.. r.WhoBenefits.Select(a => new object?[] { a.Agency, a.CostsPv, a.FiscalPv, a.CashablePv, a.NetCashablePv }),
                 ["TOTAL", r.CostsPv, r.FiscalPv, r.CashablePv, r.NetPresentBudgetImpact]]),
        ];
    }

    private static object?[] Row(string measure, object? value, string definition) => [measure, value, definition];

    /// <summary>One long CSV: a <c>table</c> column, then the union of every table's columns in first-seen order.</summary>
    public static void WriteCsv(CbaResult result, string path)
    {
        var tables = Tables(result);
        var columns = tables.SelectMany(t => t.Columns).Distinct(StringComparer.Ordinal).ToList();
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        writer.NewLine = "\n";
        writer.WriteLine(CsvRecords.Line(["table", .. columns]));
        foreach (var table in tables)
        {
            foreach (var row in table.Rows)
            {
                var cells = new string[columns.Count + 1];
                cells[0] = table.Name;
                for (var i = 1; i < cells.Length; i++)
                {
                    cells[i] = string.Empty;
                }

                for (var c = 0; c < table.Columns.Length && c < row.Length; c++)
                {
                    cells[columns.IndexOf(table.Columns[c]) + 1] = Text(row[c]);
                }

                writer.WriteLine(CsvRecords.Line(cells));
            }
        }
    }

    /// <summary>An .xlsx workbook: one sheet per table, money as numbers formatted #,##0.00.</summary>
    public static void WriteXlsx(CbaResult result, string path)
    {
        using var workbook = new XLWorkbook();
        foreach (var table in Tables(result))
        {
            var sheet = workbook.Worksheets.Add(table.Name);
            for (var c = 0; c < table.Columns.Length; c++)
            {
                sheet.Cell(1, c + 1).Value = table.Columns[c];
                sheet.Cell(1, c + 1).Style.Font.Bold = true;
            }

            for (var r = 0; r < table.Rows.Count; r++)
            {
                var row = table.Rows[r];
                for (var c = 0; c < row.Length; c++)
                {
                    var cell = sheet.Cell(r + 2, c + 1);
                    switch (row[c])
                    {
                        case Money m:
                            cell.Value = m.Pounds;
                            cell.Style.NumberFormat.Format = "#,##0.00";
                            break;
                        case decimal d:
                            cell.Value = d;
                            break;
                        case int i:
                            cell.Value = i;
                            break;
                        case null:
                            break;
                        case var other:
                            cell.Value = Text(other);
                            break;
                    }
                }
            }

            sheet.SheetView.FreezeRows(1);
        }

        workbook.SaveAs(path);
    }

    /// <summary>A self-contained HTML report with two charts inlined as PNG data URIs.</summary>
    public static string Html(CbaResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var html = new StringBuilder();
        var title = WebUtility.HtmlEncode(result.Input.Name);
        html.Append("<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>").Append(title).Append(" — cost-benefit analysis</title>\n")
            .Append("<style>body{font-family:Arial,sans-serif;margin:2em;max-width:70em;color:#0b0c0c}table{border-collapse:collapse;margin:1em 0}th,td{border-bottom:1px solid #b1b4b6;padding:.3em .6em;text-align:left;vertical-align:top}td.n{text-align:right;font-variant-numeric:tabular-nums}caption{font-weight:bold;text-align:left}.note{color:#505a5f}</style></head><body>\n")
            .Append("<h1>").Append(title).Append("</h1>\n")
            .Append("<p class=\"note\">New Economy / HM Treasury (2014) method. Prices: ").Append(result.Input.PriceYear.ToString())
            .Append(". Discounting: ").Append(WebUtility.HtmlEncode(string.Join("; ", result.Input.Discount.Select(b => FormattableString.Invariant($"{Percent.Format(b.Rate, 2)} to year {b.ToYear}")))))
            .Append(". Unit costs: ").Append(WebUtility.HtmlEncode(UnitCostDatabase.UcdLicence)).Append(".</p>\n")
            .Append("<p class=\"note\">Optimism bias: ").Append(WebUtility.HtmlEncode(result.Input.OptimismBiasSource)).Append("</p>\n");

        html.Append("<h2>Charts</h2>\n")
            .Append("<img alt=\"Cumulative present value of costs and benefits by year\" src=\"data:image/png;base64,").Append(Convert.ToBase64String(CumulativeChart(result))).Append("\">\n")
            .Append("<img alt=\"Present value of costs and fiscal benefits by agency\" src=\"data:image/png;base64,").Append(Convert.ToBase64String(AgencyChart(result))).Append("\">\n");

        foreach (var table in Tables(result))
        {
            html.Append("<table><caption>").Append(WebUtility.HtmlEncode(table.Name.Replace('_', ' '))).Append("</caption><thead><tr>");
            foreach (var column in table.Columns)
            {
                html.Append("<th scope=\"col\">").Append(WebUtility.HtmlEncode(column.Replace('_', ' '))).Append("</th>");
            }

            html.Append("</tr></thead><tbody>\n");
            foreach (var row in table.Rows)
            {
                html.Append("<tr>");
                foreach (var cell in row)
                {
                    var numeric = cell is Money or decimal or int;
                    html.Append(numeric ? "<td class=\"n\">" : "<td>").Append(WebUtility.HtmlEncode(cell is Money m ? m.ToString() : Text(cell))).Append("</td>");
                }

                html.Append("</tr>\n");
            }

            html.Append("</tbody></table>\n");
        }

        html.Append("</body></html>\n");
        return html.ToString();
    }

    /// <summary>Cumulative discounted costs, cashable fiscal benefits and public value by year.</summary>
    public static byte[] CumulativeChart(CbaResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var plot = new ScottPlot.Plot();
        var xs = result.Years.Select(y => (double)y.Year).ToArray();
        double c = 0, k = 0, p = 0;
        var costs = result.Years.Select(y => c += (double)y.CostsPv.Pounds).ToArray();
        var cashable = result.Years.Select(y => k += (double)y.CashablePv.Pounds).ToArray();
        var publicValue = result.Years.Select(y => p += (double)y.PublicValuePv.Pounds).ToArray();
        plot.Add.Scatter(xs, costs).LegendText = "Costs (PV)";
        plot.Add.Scatter(xs, cashable).LegendText = "Cashable fiscal benefits (PV)";
        plot.Add.Scatter(xs, publicValue).LegendText = "Public value (PV)";
        plot.Title("Cumulative present values");
        plot.XLabel("Year of analysis");
        plot.YLabel(FormattableString.Invariant($"£ ({result.Input.PriceYear} prices)"));
        plot.ShowLegend(ScottPlot.Alignment.UpperLeft);
        return plot.GetImageBytes(800, 420, ScottPlot.ImageFormat.Png);
    }

    /// <summary>Present value of costs borne and fiscal benefits received, by agency.</summary>
    public static byte[] AgencyChart(CbaResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var plot = new ScottPlot.Plot();
        var agencies = result.WhoBenefits;
        var bars = new List<ScottPlot.Bar>();
        var ticks = new List<ScottPlot.Tick>();
        for (var i = 0; i < agencies.Count; i++)
        {
            bars.Add(new ScottPlot.Bar { Position = (i * 3) + 0, Value = (double)agencies[i].CostsPv.Pounds, FillColor = ScottPlot.Colors.IndianRed });
            bars.Add(new ScottPlot.Bar { Position = (i * 3) + 1, Value = (double)agencies[i].FiscalPv.Pounds, FillColor = ScottPlot.Colors.SteelBlue });
            ticks.Add(new ScottPlot.Tick((i * 3) + 0.5, agencies[i].Agency));
        }

        plot.Add.Bars(bars);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.ToArray());
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.Margins(bottom: 0);
        plot.Title("Who pays (red) and who benefits (blue), present values");
        plot.YLabel(FormattableString.Invariant($"£ ({result.Input.PriceYear} prices)"));
        return plot.GetImageBytes(Math.Max(800, agencies.Count * 120), 420, ScottPlot.ImageFormat.Png);
    }

    private static string Text(object? value) => value switch
    {
        null => string.Empty,
        Money m => m.Pounds.ToString("0.00", CultureInfo.InvariantCulture),
        decimal d => d.ToString("0.##########", CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
