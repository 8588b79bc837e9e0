using System.Globalization;

namespace Hearth.Core.Finance.Contracts;

/// <summary>
/// Writes a contract run as CSV files whose columns use INDIGO data-standard field names (project
/// <c>overall_project_finance</c>, <c>outcome_metrics</c>, <c>outcome_pricings</c>, <c>outcome_payments</c>,
/// <c>investment_details</c> and the <c>transactions</c> ledger), plus Hearth's full cash-flow table.
/// Amounts are pounds with two decimals in GBP; organisation ids are the names in the contract file.
/// </summary>
public static class IndigoExport
{
    /// <summary>Writes the files into <paramref name="directory"/> and returns their paths.</summary>
    public static IReadOnlyList<string> Write(ContractResult result, string directory)
    {
        Directory.CreateDirectory(directory);
        var paths = new List<string>();
        foreach (var (name, content) in Files(result))
        {
            var path = Path.Combine(directory, name);
            File.WriteAllText(path, content);
            paths.Add(path);
        }

        return paths;
    }

    /// <summary>The files as (name, CSV text) pairs, e.g. for a download.</summary>
    public static IReadOnlyList<(string Name, string Content)> Files(ContractResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var c = result.Contract;
        var files = new List<(string, string)>();

        files.Add(CsvFile("cashflows.csv",
            ["date", "kind", "detail", "due", "paid", "cumulative_paid", "to_provider", "investor_flow", "note"],
            result.Rows.Select(r => new[] { D(r.Date), r.Kind, r.Detail, P(r.Due), P(r.Paid), P(r.CumulativePaid), P(r.ToProvider), P(r.InvestorFlow), r.Note })));

        var project = new List<string[]>
        {
            new[] { "name", c.Name },
            new[] { "overall_project_finance/total_investment_commitment/currency", c.Kind == ContractKind.SocialImpactBond ? "GBP" : string.Empty },
            new[] { "overall_project_finance/total_investment_commitment/amount", P(c.CommittedCapital) },
            new[] { "overall_project_finance/maximum_potential_outcome_payment_v2/amount", c.OutcomeCap is { } cap ? P(cap) : string.Empty },
            new[] { "overall_project_finance/total_outcome_payments_made/amount", P(result.TotalPaid) },
            new[] { "overall_project_finance/investor_repayment/amount", P(result.TotalDistributed) },
            new[] { "dates/start_date_of_service_provision", D(c.Start) },
            new[] { "investment_details/total_funds_invested/latest", P(result.TotalDrawn) },
            new[] { "investment_details/internal_rate_of_return/latest", result.DatedIrr is { IsSolved: true } irr ? irr.Rate.ToString("0.######", CultureInfo.InvariantCulture) : string.Empty },
            new[] { "investment_details/internal_rate_of_return/date", result.Rows.Count > 0 ? D(result.Rows[^1].Date) : string.Empty },
        };
        files.Add(CsvFile("indigo-project.csv", ["field", "value"], project));

        files.Add(CsvFile("indigo-outcome-metrics.csv",
            ["id", "definition", "outcome_validation_method", "data_source_for_outcome_validation"],
            c.RateCard.Select(r => new[] { r.MetricId, r.Definition, r.ValidationMethod, r.DataSource })));

        files.Add(CsvFile("indigo-outcome-pricings.csv",
            ["outcome_metric_id", "currency", "price_per_unit", "maximum_price_if_all_targets_achieved", "price_description"],
            c.RateCard.Select(r => new[] { r.MetricId, "GBP", P(r.PricePerUnit), r.Cap is { } m ? P(m) : string.Empty, r.PriceDescription })));

        files.Add(CsvFile("indigo-outcome-payments.csv",
            ["outcome_metric_id", "period", "date", "payer_organisation_id", "recipient_organisation_id", "type", "outcomes_achieved", "money/currency", "money/amount"],
            result.Payments.Select(p => new[]
            {
                p.MetricId, p.Period, D(p.Date), c.OutcomePayer,
                c.Kind == ContractKind.SocialImpactBond ? c.Investor : c.Provider, "outcome payment",
                p.Count.ToString("0.####", CultureInfo.InvariantCulture), "GBP", P(p.Paid),
            })));

        var transactions = new List<string[]>();
        foreach (var r in result.Rows)
        {
            if (r.Kind == "drawdown")
            {
                transactions.Add([D(r.Date), c.Investor, c.Provider, "investment", "GBP", P(-r.InvestorFlow)]);
                continue;
            }

            transactions.Add([D(r.Date), c.OutcomePayer, c.Kind == ContractKind.SocialImpactBond ? c.Investor : c.OutcomePayer, "outcome payment", "GBP", P(r.Paid)]);
            if (r.ToProvider.Pence > 0)
            {
                transactions.Add([D(r.Date), c.OutcomePayer, c.PassThrough!.Provider, "outcome payment pass-through", "GBP", P(r.ToProvider)]);
            }

            if (c.Kind == ContractKind.SocialImpactBond && r.InvestorFlow.Pence > 0)
            {
                transactions.Add([D(r.Date), "outcomes vehicle", c.Investor, "investor repayment", "GBP", P(r.InvestorFlow)]);
            }
        }

        files.Add(CsvFile("indigo-transactions.csv",
            ["date", "sending_organisation_id", "receiving_organisation_id", "transaction_type", "money/currency", "money/amount"], transactions));
        return files;
    }

    private static (string, string) CsvFile(string name, string[] header, IEnumerable<string[]> rows)
    {
        var text = new System.Text.StringBuilder();
        text.Append(CsvRecords.Line(header)).Append('\n');
        foreach (var row in rows)
        {
            text.Append(CsvRecords.Line(row)).Append('\n');
        }

        return (name, text.ToString());
    }

    /// <summary>Pounds with two decimals, no symbol or separators (machine-readable).</summary>
    internal static string P(Money m) => m.Pounds.ToString("0.00", CultureInfo.InvariantCulture);

    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
