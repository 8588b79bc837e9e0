namespace Hearth.Core.Finance.Contracts;

/// <summary>One row of a contract's cash-flow table.</summary>
/// <param name="Date">When the money moves.</param>
/// <param name="Kind"><c>drawdown</c> or <c>outcome payment</c>.</param>
/// <param name="Detail">Metric lines (count × price) or the drawdown.</param>
/// <param name="Due">Σ price × validated outcomes, after any per-metric caps.</param>
/// <param name="Paid">What the outcome payer pays: min(due, cap − paid to date).</param>
/// <param name="CumulativePaid">Outcome payments to date.</param>
/// <param name="ToProvider">Pass-through share (PbR) of <paramref name="Paid"/>.</param>
/// <param name="InvestorFlow">Investor's flow: −drawdown, +distribution.</param>
/// <param name="Note">Caps hit and other explanations.</param>
public sealed record CashFlowRow(
    DateOnly Date,
    string Kind,
    string Detail,
    Money Due,
    Money Paid,
    Money CumulativePaid,
    Money ToProvider,
    Money InvestorFlow,
    string Note);

/// <summary>A payment line: which metric, how many outcomes, at what price, what was due and what was paid.</summary>
public sealed record MetricPayment(DateOnly Date, string MetricId, string Period, decimal Count, Money Price, Money Due, Money Paid);

/// <summary>The result of running a contract: the cash-flow table, totals, caps hit and investor returns.</summary>
public sealed record ContractResult(
    OutcomeContract Contract,
    IReadOnlyList<CashFlowRow> Rows,
    IReadOnlyList<MetricPayment> Payments,
    Money TotalDue,
    Money TotalPaid,
    Money TotalToProvider,
    Money TotalDrawn,
    Money TotalDistributed,
    Money AboveReturnCap,
    IReadOnlyList<string> CapsHit,
    IrrResult? DatedIrr,
    IrrResult? PeriodicIrr,
    IReadOnlyList<Money> AnnualInvestorFlows,
    decimal? MultipleOfCommitted,
    decimal? MultipleOfDrawn);

/// <summary>
/// Runs an outcomes contract (rule I2): on each payment date, Due_t = Σ_m min(price_m × outcomes_{m,t} (to the
/// penny), metric cap_m − paid_m to date), Payment_t = min(Due_t, overall cap − paid to date). A SIB passes each
/// payment's investor share to investors (rounded to the penny, limited by any return cap); a PbR contract passes the provider's share through. Investor
/// IRR is solved on dated flows (actual/365) and on flows summed per contract year (periodic); the money multiple
/// is distributions ÷ committed capital and ÷ capital drawn.
/// </summary>
public static class ContractEngine
{
    public static ContractResult Run(OutcomeContract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        var prices = contract.RateCard.ToDictionary(r => r.MetricId, StringComparer.Ordinal);
        foreach (var outcome in contract.Outcomes)
        {
            if (!prices.ContainsKey(outcome.MetricId))
            {
                throw new ArgumentException($"outcomes for '{outcome.MetricId}' but the rate card has no such metric", nameof(contract));
            }
        }

        var rows = new List<CashFlowRow>();
        var payments = new List<MetricPayment>();
        var capsHit = new List<string>();
        var paidByMetric = contract.RateCard.ToDictionary(r => r.MetricId, _ => Money.Zero, StringComparer.Ordinal);
        Money paid = Money.Zero, due = Money.Zero, toProvider = Money.Zero, drawn = Money.Zero, distributed = Money.Zero, aboveCap = Money.Zero;
        var investorFlows = new List<DatedCashFlow>();

        // Return-cap account: capital drawn compounded at the cap rate, less distributions.
        var capBalance = 0m;
        var capDate = contract.Start;

        var events = contract.Drawdowns.Select(d => (d.Date, Order: 0, Drawdown: (Drawdown?)d, Group: (IGrouping<DateOnly, ValidatedOutcomes>?)null))
            .Concat(contract.Outcomes.GroupBy(o => o.Date).Select(g => (Date: g.Key, Order: 1, Drawdown: (Drawdown?)null, Group: (IGrouping<DateOnly, ValidatedOutcomes>?)g)))
            .OrderBy(e => e.Date).ThenBy(e => e.Order).ToList();

        foreach (var e in events)
        {
            if (contract.InvestorReturnCap is { } rate)
            {
                var years = (e.Date.DayNumber - capDate.DayNumber) / 365m;
                capBalance *= (decimal)Math.Pow(1 + (double)rate, (double)years);
                capDate = e.Date;
            }

            if (e.Drawdown is { } d)
            {
                drawn += d.Amount;
                capBalance += d.Amount.Pence;
                investorFlows.Add(new DatedCashFlow(d.Date, -d.Amount));
                rows.Add(new CashFlowRow(d.Date, "drawdown", $"capital drawn from {contract.Investor}", Money.Zero, Money.Zero, paid, Money.Zero, -d.Amount, string.Empty));
                continue;
            }

            var notes = new List<string>();
            var details = new List<string>();
            var dueNow = Money.Zero;
            var lines = new List<(ValidatedOutcomes Outcome, Money Price, Money Due)>();
            foreach (var outcome in e.Group!)
            {
                var card = prices[outcome.MetricId];
                var gross = card.PricePerUnit.MultiplyBy(outcome.Count);
                var lineDue = gross;
                if (card.Cap is { } metricCap)
                {
                    var room = Money.Max(Money.Zero, metricCap - paidByMetric[outcome.MetricId]);
                    if (gross > room)
                    {
                        lineDue = room;
                        var note = $"{outcome.MetricId} cap {metricCap} reached: {gross} due, {room} payable";
                        notes.Add(note);
                        capsHit.Add($"{e.Date:yyyy-MM-dd}: {note}");
                    }
                }

                paidByMetric[outcome.MetricId] += lineDue;
                dueNow += lineDue;
                lines.Add((outcome, card.PricePerUnit, lineDue));
                details.Add(FormattableString.Invariant($"{outcome.MetricId} {outcome.Count:0.##} × {card.PricePerUnit}"));
            }

            var payNow = dueNow;
            if (contract.OutcomeCap is { } cap)
            {
                var room = Money.Max(Money.Zero, cap - paid);
                if (dueNow > room)
                {
                    payNow = room;
                    var note = $"overall cap {cap} reached: {dueNow} due, {room} paid";
                    notes.Add(note);
                    capsHit.Add($"{e.Date:yyyy-MM-dd}: {note}");
                }
            }

            // Spread what is paid over the metric lines in proportion (largest remainder keeps the sum exact).
            var shares = Apportion(payNow, lines.Select(l => l.Due).ToList());
            for (var i = 0; i < lines.Count; i++)
            {
                payments.Add(new MetricPayment(e.Date, lines[i].Outcome.MetricId, lines[i].Outcome.Period, lines[i].Outcome.Count, lines[i].Price, lines[i].Due, shares[i]));
            }

            due += dueNow;
            paid += payNow;
            var provider = Money.Zero;
            var investor = Money.Zero;
            if (contract.PassThrough is { } pass)
            {
                provider = pass.Split(payNow).Provider;
                toProvider += provider;
            }

            if (contract.Kind == ContractKind.SocialImpactBond)
            {
                investor = payNow.MultiplyBy(contract.InvestorShare);
                if (contract.InvestorReturnCap is not null)
                {
                    var limit = new Money((long)decimal.Floor(Math.Max(0m, capBalance)));
                    if (investor > limit)
                    {
                        aboveCap += investor - limit;
                        notes.Add($"investor return cap: {investor - limit} above the cap not distributed");
                        capsHit.Add($"{e.Date:yyyy-MM-dd}: investor return cap {Percent.Format(contract.InvestorReturnCap.GetValueOrDefault(), 1)} a year limited the distribution to {limit}");
                        investor = limit;
                    }

                    capBalance -= investor.Pence;
                }

                distributed += investor;
                investorFlows.Add(new DatedCashFlow(e.Date, investor));
            }

            rows.Add(new CashFlowRow(e.Date, "outcome payment", string.Join("; ", details), dueNow, payNow, paid, provider, investor, string.Join("; ", notes)));
        }

        IrrResult? dated = null, periodic = null;
        var annual = new List<Money>();
        decimal? multipleCommitted = null, multipleDrawn = null;
        if (contract.Kind == ContractKind.SocialImpactBond && investorFlows.Count > 0)
        {
            dated = Irr.Dated(investorFlows);
            var start = contract.Start;
            var years = investorFlows.Max(f => YearIndex(start, f.Date)) + 1;
            for (var y = 0; y < years; y++)
            {
                annual.Add(investorFlows.Where(f => YearIndex(start, f.Date) == y).Aggregate(Money.Zero, (s, f) => s + f.Amount));
            }

            periodic = Irr.Periodic(annual);
            if (contract.CommittedCapital.Pence > 0)
            {
                multipleCommitted = (decimal)distributed.Pence / contract.CommittedCapital.Pence;
            }

            if (drawn.Pence > 0)
            {
                multipleDrawn = (decimal)distributed.Pence / drawn.Pence;
            }
        }

        return new ContractResult(contract, rows, payments, due, paid, toProvider, drawn, distributed, aboveCap, capsHit,
            dated, periodic, annual, multipleCommitted, multipleDrawn);
    }

    /// <summary>Contract year of a date: 0 for the first 12 months from the start, 1 for the next…</summary>
    public static int YearIndex(DateOnly start, DateOnly date)
    {
        var years = date.Year - start.Year;
        if (date < start.AddYears(years))
        {
            years--;
        }

        return Math.Max(0, years);
    }

    /// <summary>Splits <paramref name="total"/> over <paramref name="weights"/> in proportion, to the penny, largest remainder first.</summary>
    internal static Money[] Apportion(Money total, IReadOnlyList<Money> weights)
    {
        var sum = weights.Aggregate(0L, (s, w) => checked(s + w.Pence));
        var result = new Money[weights.Count];
        if (sum == 0)
        {
            return result.Select(_ => Money.Zero).ToArray();
        }

        var remainders = new (int Index, decimal Remainder)[weights.Count];
        long allotted = 0;
        for (var i = 0; i < weights.Count; i++)
        {
            var exact = (decimal)total.Pence * weights[i].Pence / sum;
            var floor = (long)decimal.Floor(exact);
            result[i] = new Money(floor);
            allotted += floor;
            remainders[i] = (i, exact - floor);
        }

        foreach (var (index, _) in remainders.OrderByDescending(r => r.Remainder).ThenBy(r => r.Index).Take((int)(total.Pence - allotted)))
        {
            result[index] += new Money(1);
        }

        return result;
    }
}
