using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Hearth.Core.Finance;

/// <summary>
/// Reads a YAML input file into nodes that remember their line, so every error names file, line, field and
/// reason. Unknown keys are errors (a misspelt key should not silently fall back to a default).
/// </summary>
internal sealed class YamlInput
{
    private YamlInput(string file, YamlMappingNode root)
    {
        File = file;
        Root = root;
    }

    public string File { get; }
    public YamlMappingNode Root { get; }

    public static YamlInput Load(TextReader reader, string file)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            throw new FinanceInputException(file, (int)e.Start.Line, string.Empty, "not valid YAML: " + e.Message);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new FinanceInputException(file, 1, string.Empty, "expected a YAML mapping (key: value lines) at the top level");
        }

        return new YamlInput(file, root);
    }

    public FinanceInputException Error(YamlNode node, string field, string reason) =>
        new(File, (int)node.Start.Line, field, reason);

    public void AllowOnly(YamlMappingNode map, params string[] keys)
    {
        foreach (var key in map.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value ?? string.Empty;
            if (!keys.Contains(name, StringComparer.Ordinal))
            {
                throw Error(key, name, $"unknown key; expected one of: {string.Join(", ", keys)}");
            }
        }
    }

    public static YamlNode? Node(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    public YamlMappingNode Map(YamlMappingNode map, string key) =>
        OptionalMap(map, key) ?? throw Error(map, key, "required section is missing");

    public YamlMappingNode? OptionalMap(YamlMappingNode map, string key) => Node(map, key) switch
    {
        null => null,
        YamlMappingNode m => m,
        var other => throw Error(other, key, "expected a mapping of key: value lines"),
    };

    public IReadOnlyList<YamlMappingNode> List(YamlMappingNode map, string key, bool required)
    {
        switch (Node(map, key))
        {
            case null when required:
                throw Error(map, key, "required list is missing");
            case null:
                return [];
            case YamlSequenceNode seq:
                return seq.Children.Select(c => c as YamlMappingNode ?? throw Error(c, key, "each list item must be a mapping of key: value")).ToList();
            case YamlScalarNode { Value: null or "" or "null" or "~" } when !required:
                return [];
            case var other:
                throw Error(other, key, "expected a list (lines starting with '- ')");
        }
    }

    public string? OptionalString(YamlMappingNode map, string key) => Node(map, key) switch
    {
        null => null,
        YamlScalarNode { Value: null or "~" or "null" } => null,
        YamlScalarNode s => s.Value,
        var other => throw Error(other, key, "expected a single value"),
    };

    public string String(YamlMappingNode map, string key)
    {
        var value = OptionalString(map, key);
        return string.IsNullOrWhiteSpace(value) ? throw Error(map, key, "a value is required") : value.Trim();
    }

    public decimal Decimal(YamlMappingNode map, string key, decimal? min = null, decimal? max = null) =>
        OptionalDecimal(map, key, min, max) ?? throw Error(map, key, "a number is required");

    public decimal? OptionalDecimal(YamlMappingNode map, string key, decimal? min = null, decimal? max = null)
    {
        var text = OptionalString(map, key);
        if (text is null)
        {
            return null;
        }

        var node = Node(map, key)!;
        var clean = text.Replace("£", string.Empty, StringComparison.Ordinal).Replace("_", string.Empty, StringComparison.Ordinal);
        if (!decimal.TryParse(clean, NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var value))
        {
            throw Error(node, key, $"'{text}' is not a number");
        }

        if (value < min || value > max)
        {
            throw Error(node, key, FormattableString.Invariant($"{value} is outside {min?.ToString(CultureInfo.InvariantCulture) ?? "-∞"} to {max?.ToString(CultureInfo.InvariantCulture) ?? "∞"}"));
        }

        return value;
    }

    public int Int(YamlMappingNode map, string key, int min, int max)
    {
        var value = Decimal(map, key, min, max);
        return value == decimal.Truncate(value) ? (int)value : throw Error(Node(map, key)!, key, $"{value} must be a whole number");
    }

    public int? OptionalInt(YamlMappingNode map, string key, int min, int max) =>
        OptionalString(map, key) is null ? null : Int(map, key, min, max);

    public Money Money(YamlMappingNode map, string key, bool allowNegative = false) =>
        OptionalMoney(map, key, allowNegative) ?? throw Error(map, key, "an amount in pounds is required");

    public Money? OptionalMoney(YamlMappingNode map, string key, bool allowNegative = false)
    {
        var value = OptionalDecimal(map, key, allowNegative ? null : 0m);
        if (value is null)
        {
            return null;
        }

        if (decimal.Round(value.Value, 2) != value.Value)
        {
            throw Error(Node(map, key)!, key, $"{value} has fractions of a penny; give pounds to at most 2 decimal places");
        }

        return Hearth.Core.Money.FromPounds(value.Value);
    }

    public DateOnly Date(YamlMappingNode map, string key) =>
        OptionalDate(map, key) ?? throw Error(map, key, "a date (yyyy-mm-dd) is required");

    public DateOnly? OptionalDate(YamlMappingNode map, string key)
    {
        var text = OptionalString(map, key);
        if (text is null)
        {
            return null;
        }

        return DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw Error(Node(map, key)!, key, $"'{text}' is not a date like 2026-03-31");
    }

    public PriceYear Year(YamlMappingNode map, string key) =>
        PriceYear.TryParse(String(map, key), out var year, out var reason) ? year : throw Error(Node(map, key)!, key, reason);

    public PriceYear? OptionalYear(YamlMappingNode map, string key) =>
        OptionalString(map, key) is null ? null : Year(map, key);

    public bool? OptionalBool(YamlMappingNode map, string key) => OptionalString(map, key)?.Trim().ToUpperInvariant() switch
    {
        null => null,
        "TRUE" or "YES" => true,
        "FALSE" or "NO" => false,
        _ => throw Error(Node(map, key)!, key, "expected true or false"),
    };

    public IReadOnlyList<string> StringList(YamlMappingNode map, string key) => Node(map, key) switch
    {
        null => [],
        YamlSequenceNode seq => seq.Children.Select(c => (c as YamlScalarNode)?.Value ?? throw Error(c, key, "expected a list of values")).ToList(),
        YamlScalarNode s when !string.IsNullOrWhiteSpace(s.Value) => [s.Value!],
        var other => throw Error(other, key, "expected a list of values"),
    };
}
