using System.Globalization;
using System.Reflection;
using Hearth.Core.Data;
using Hearth.Core.Finance.UnitCosts;
using YamlDotNet.RepresentationModel;

namespace Hearth.Core.Finance.Profiles;

/// <summary>How a unit cost is applied to an event.</summary>
public enum CostBasis
{
    /// <summary>One unit per event, in the financial year the event happened.</summary>
    PerEvent,

    /// <summary>One unit per day of the spell (start to end inclusive).</summary>
    PerDay,

    /// <summary>One unit per week of the spell: days ÷ 7.</summary>
    PerWeek,

    /// <summary>One unit per term record (school attendance events are one term each).</summary>
    PerTerm,

    /// <summary>One unit per year of the spell: days ÷ 365, split over the financial years the spell covers.</summary>
    PerSpellYear,
}

/// <summary>Whether a cost is the price of failure (reactive) or of help that prevents it (preventative).</summary>
public enum CostKind
{
    Reactive,
    Preventative,
}

/// <summary>A condition on an event field: equal to one of some values, or a numeric comparison.</summary>
public sealed record EventCondition(string Field, string Column, IReadOnlyList<string> Values, string? Operator, double Number)
{
    public bool Matches(object? value)
    {
        if (Operator is null)
        {
            var text = Convert.ToString(value, CultureInfo.InvariantCulture);
            return text is not null && Values.Contains(text, StringComparer.OrdinalIgnoreCase);
        }

        if (value is null || value is DBNull)
        {
            return false;
        }

        var number = Convert.ToDouble(value, CultureInfo.InvariantCulture);
        return Operator switch
        {
            ">=" => number >= Number,
            ">" => number > Number,
            "<=" => number <= Number,
            "<" => number < Number,
            _ => false,
        };
    }
}

/// <summary>
/// One line of a cost profile configuration: events of <see cref="EventType"/> (optionally only those meeting
/// every condition) cost <see cref="Code"/>'s fiscal value on <see cref="Basis"/>, divided by
/// <see cref="DivideBy"/> (e.g. 3 to turn a yearly cost into a term's).
/// </summary>
public sealed record CostRule(
    string Id,
    int Line,
    string EventType,
    IReadOnlyList<EventCondition> Conditions,
    string Code,
    CostBasis Basis,
    decimal DivideBy,
    CostKind Kind,
    string Need,
    Money UnitValue,
    string UnitCostAgency);

/// <summary>
/// The mapping from Hearth event types to unit costs that family cost profiles use, read from YAML and checked:
/// every error names the file, line, field and reason. Unit values are the fiscal values uprated to
/// <see cref="PriceYear"/> when the file is loaded.
/// </summary>
public sealed class CostProfileConfig
{
    /// <summary>The computed field <c>unauthorised_absence_rate</c> (unauthorised sessions ÷ possible) on school attendance.</summary>
    public const string UnauthorisedRate = "unauthorised_absence_rate";

    private static readonly string[] Comparisons = [">=", "<=", ">", "<"];

    private CostProfileConfig(string file, PriceYear priceYear, IReadOnlyList<CostRule> rules)
    {
        File = file;
        PriceYear = priceYear;
        Rules = rules;
    }

    public string File { get; }

    public PriceYear PriceYear { get; }

    public IReadOnlyList<CostRule> Rules { get; }

    /// <summary>The configuration Hearth ships (<c>Resources/Finance/cost-profile.yaml</c>), valued with UCD v1.4.</summary>
    public static CostProfileConfig Default(UnitCostDatabase costs, GdpDeflator deflator)
    {
        using var stream = typeof(CostProfileConfig).Assembly.GetManifestResourceStream("Hearth.Core.Resources.Finance.cost-profile.yaml")
            ?? throw new InvalidOperationException("missing embedded resource cost-profile.yaml");
        using var reader = new StreamReader(stream);
        return Load(reader, "cost-profile.yaml", costs, deflator);
    }

    public static CostProfileConfig Load(string path, UnitCostDatabase costs, GdpDeflator deflator)
    {
        using var reader = new StreamReader(path);
        return Load(reader, path, costs, deflator);
    }

    public static CostProfileConfig Load(TextReader reader, string file, UnitCostDatabase costs, GdpDeflator deflator)
    {
        ArgumentNullException.ThrowIfNull(costs);
        ArgumentNullException.ThrowIfNull(deflator);
        var yaml = YamlInput.Load(reader, file);
        var root = yaml.Root;
        yaml.AllowOnly(root, "price_year", "rules");
        var priceYear = yaml.Year(root, "price_year");
        if (!deflator.Covers(priceYear))
        {
            throw yaml.Error(YamlInput.Node(root, "price_year")!, "price_year", $"the GDP deflator series has no index for {priceYear}");
        }

        var rules = new List<CostRule>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var map in yaml.List(root, "rules", required: true))
        {
            yaml.AllowOnly(map, "id", "event_type", "where", "code", "basis", "divide_by", "kind", "need");
            var line = (int)map.Start.Line;
            var id = yaml.String(map, "id");
            if (!ids.Add(id))
            {
                throw yaml.Error(YamlInput.Node(map, "id")!, "id", $"rule '{id}' appears twice");
            }

            var eventType = yaml.String(map, "event_type");
            if (!EventTypes.All.TryGetValue(eventType, out var type))
            {
                throw yaml.Error(YamlInput.Node(map, "event_type")!, "event_type",
                    $"'{eventType}' is not a Hearth event type; expected one of: {string.Join(", ", EventTypes.All.Keys)}");
            }

            var conditions = Conditions(yaml, map, eventType, type);
            var code = yaml.String(map, "code");
            var cost = costs.Find(code) ?? throw yaml.Error(YamlInput.Node(map, "code")!, "code", $"no unit cost '{code}' in {string.Join("; ", costs.Editions)}");
            if (cost.Fiscal is null)
            {
                throw yaml.Error(YamlInput.Node(map, "code")!, "code", $"{cost.Code} has no fiscal value to cost events with");
            }

            if (!deflator.Covers(cost.Fiscal.PriceYear))
            {
                throw yaml.Error(YamlInput.Node(map, "code")!, "code", $"{cost.Code} is in {cost.Fiscal.PriceYear} prices, which the GDP deflator series does not cover");
            }

            var basisText = yaml.String(map, "basis");
            var basis = basisText switch
            {
                "per_event" => CostBasis.PerEvent,
                "per_day" => CostBasis.PerDay,
                "per_week" => CostBasis.PerWeek,
                "per_term" => CostBasis.PerTerm,
                "per_spell_year" => CostBasis.PerSpellYear,
                _ => throw yaml.Error(YamlInput.Node(map, "basis")!, "basis", $"'{basisText}' should be per_event, per_day, per_week, per_term or per_spell_year"),
            };
            if (basis == CostBasis.PerTerm && eventType != EventTypes.SchoolAttendance)
            {
                throw yaml.Error(YamlInput.Node(map, "basis")!, "basis", "per_term applies only to school_attendance (one event per term)");
            }

            var divideBy = yaml.OptionalDecimal(map, "divide_by", 0.0001m, 100000m) ?? 1m;
            var kindText = yaml.String(map, "kind");
            var kind = kindText switch
            {
                "reactive" => CostKind.Reactive,
                "preventative" => CostKind.Preventative,
                _ => throw yaml.Error(YamlInput.Node(map, "kind")!, "kind", $"'{kindText}' should be reactive or preventative"),
            };
            var need = yaml.String(map, "need");
            var unitValue = deflator.Uprate(cost.Fiscal.Amount, cost.Fiscal.PriceYear, priceYear);
            rules.Add(new CostRule(id, line, eventType, conditions, cost.Code, basis, divideBy, kind, need, unitValue, cost.AgencyLabel));
        }

        if (rules.Count == 0)
        {
            throw yaml.Error(root, "rules", "at least one rule is needed");
        }

        return new CostProfileConfig(file, priceYear, rules);
    }

    private static List<EventCondition> Conditions(YamlInput yaml, YamlMappingNode map, string eventType, Type type)
    {
        var conditions = new List<EventCondition>();
        if (yaml.OptionalMap(map, "where") is not { } where)
        {
            return conditions;
        }

        foreach (var (keyNode, valueNode) in where.Children)
        {
            var field = ((YamlScalarNode)keyNode).Value ?? string.Empty;
            string column;
            var numeric = false;
            if (field == UnauthorisedRate && eventType == EventTypes.SchoolAttendance)
            {
                column = UnauthorisedRate;
                numeric = true;
            }
            else
            {
                var property = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                    .FirstOrDefault(p => p.DeclaringType == type && HearthDb.SnakeCase(p.Name) == field);
                if (property is null || field is "fingerprint")
                {
                    var known = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.DeclaringType == type)
                        .Select(p => HearthDb.SnakeCase(p.Name));
                    if (eventType == EventTypes.SchoolAttendance)
                    {
                        known = known.Append(UnauthorisedRate);
                    }

                    throw yaml.Error(keyNode, field, $"{eventType} has no field '{field}'; its fields are: {string.Join(", ", known)}");
                }

                column = HearthDb.SnakeCase(property.Name);
                var t = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
                numeric = t == typeof(int) || t == typeof(long);
            }

            var values = valueNode switch
            {
                YamlScalarNode s when !string.IsNullOrWhiteSpace(s.Value) => [s.Value!.Trim()],
                YamlSequenceNode seq when seq.Children.Count > 0 => seq.Children.Select(c => (c as YamlScalarNode)?.Value?.Trim()
                    ?? throw yaml.Error(c, field, "expected a list of values")).ToList(),
                _ => throw yaml.Error(valueNode, field, "expected a value, a list of values, or a comparison like \">= 0.1\""),
            };

            string? op = null;
            double number = 0;
            if (numeric)
            {
                if (values.Count != 1)
                {
                    throw yaml.Error(valueNode, field, "a numeric field takes one comparison like \">= 0.1\"");
                }

                var text = values[0];
                op = Comparisons.FirstOrDefault(o => text.StartsWith(o, StringComparison.Ordinal));
                if (op is null || !double.TryParse(text[op.Length..].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out number))
                {
                    throw yaml.Error(valueNode, field, $"'{text}' should be a comparison like \">= 0.1\"");
                }
            }

            conditions.Add(new EventCondition(field, column, values, op, number));
        }

        return conditions;
    }
}
