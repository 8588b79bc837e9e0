using System.Security.Cryptography;
using System.Text;
using Hearth.Core.Identifiers;

namespace Hearth.Core.Linkage;

/// <summary>
/// Turns a standardised value into the form the comparisons see. The plain encoder keeps the text; a
/// keyed-hash encoder replaces it with an HMAC so that only equality can be tested; a Bloom-filter encoder
/// could keep similarity without the text. Comparisons that need the characters (Jaro–Winkler, edit distance,
/// phonetic, variants, dates, postcode parts) ask <see cref="PreservesText"/> and refuse encoders that do not.
/// See docs/adr/0031.
/// </summary>
public interface IFieldEncoder
{
    /// <summary>Name shown in messages.</summary>
    string Name { get; }

    /// <summary>True when the encoded value is the standardised text itself.</summary>
    bool PreservesText { get; }

    /// <summary>The encoded form of a standardised, non-empty value.</summary>
    string Encode(string standardised);
}

/// <summary>Keeps the standardised text (the default).</summary>
public sealed class PlainEncoder : IFieldEncoder
{
    public static readonly PlainEncoder Instance = new();

    public string Name => "plain";

    public bool PreservesText => true;

    public string Encode(string standardised) => standardised;
}

/// <summary>
/// HMAC-SHA256 of the standardised value under a secret key shared by the parties, as Base64. Two parties
/// that hold the key produce equal codes for equal values and nothing else can be learnt from the codes
/// without the key. Only exact and term-frequency comparisons work on these values.
/// </summary>
public sealed class KeyedHashEncoder(byte[] key) : IFieldEncoder
{
    private readonly byte[] _key = key ?? throw new ArgumentNullException(nameof(key));

    public string Name => "keyed hash (HMAC-SHA256)";

    public bool PreservesText => false;

    public string Encode(string standardised) =>
        Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(standardised)));
}

/// <summary>
/// A column's values after standardisation, transform and encoding, interned: one small integer per record
/// (0 = missing) and one string per distinct value, with how often each value occurs.
/// </summary>
public sealed class EncodedField
{
    internal EncodedField(int[] ids, string[] values, int[] counts)
    {
        Ids = ids;
        Values = values;
        Counts = counts;
        long n = 0;
        for (var i = 1; i < counts.Length; i++)
        {
            n += counts[i];
        }

        NonMissing = n;
    }

    /// <summary>Per record: the value's number, 0 when the value is missing.</summary>
    public int[] Ids { get; }

    /// <summary>Per value number: the value (index 0 is the empty string).</summary>
    public string[] Values { get; }

    /// <summary>Per value number: how many records carry it.</summary>
    public int[] Counts { get; }

    /// <summary>Records with a value.</summary>
    public long NonMissing { get; }

    /// <summary>Distinct values (excluding missing).</summary>
    public int DistinctCount => Values.Length - 1;

    /// <summary>
    /// Standardises (by column type), transforms and encodes every record's raw value and interns the results.
    /// Each distinct raw text is standardised once.
    /// </summary>
    public static EncodedField Build(
        Func<int, string?> raw, int count, ColumnType type, string? transform, IFieldEncoder encoder, bool validOnly = false)
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(encoder);
        var byRaw = new Dictionary<string, int>(StringComparer.Ordinal);
        var byValue = new Dictionary<string, int>(StringComparer.Ordinal);
        var values = new List<string> { string.Empty };
        var counts = new List<int> { 0 };
        var ids = new int[count];
        for (var i = 0; i < count; i++)
        {
            var r = raw(i);
            if (string.IsNullOrWhiteSpace(r))
            {
                continue;
            }

            if (!byRaw.TryGetValue(r, out var id))
            {
                var v = Transform(Standardised(r, type, validOnly), type, transform);
                if (v is null)
                {
                    id = 0;
                }
                else
                {
                    v = encoder.Encode(v);
                    if (!byValue.TryGetValue(v, out id))
                    {
                        id = values.Count;
                        byValue[v] = id;
                        values.Add(v);
                        counts.Add(0);
                    }
                }

                byRaw[r] = id;
            }

            ids[i] = id;
            if (id != 0)
            {
                counts[id]++;
            }
        }

        return new EncodedField(ids, [.. values], [.. counts]);
    }

    /// <summary>
    /// A field derived from this one by mapping each distinct value (a transform such as a phonetic key or
    /// a year, or an encoder); records keep their place and values that map to the same result merge.
    /// </summary>
    public EncodedField Derive(Func<string, string?> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var byValue = new Dictionary<string, int>(StringComparer.Ordinal);
        var values = new List<string> { string.Empty };
        var remap = new int[Values.Length];
        for (var v = 1; v < Values.Length; v++)
        {
            var mapped = map(Values[v]);
            if (string.IsNullOrEmpty(mapped))
            {
                continue;
            }

            if (!byValue.TryGetValue(mapped, out var id))
            {
                id = values.Count;
                byValue[mapped] = id;
                values.Add(mapped);
            }

            remap[v] = id;
        }

        var ids = new int[Ids.Length];
        var counts = new int[values.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            var id = remap[Ids[i]];
            ids[i] = id;
            counts[id]++;
        }

        counts[0] = 0;
        return new EncodedField(ids, [.. values], counts);
    }

    /// <summary>The standard form of a raw value for a column type; null when nothing usable is left.</summary>
    public static string? Standardised(string raw, ColumnType type, bool validOnly = false) => type switch
    {
        ColumnType.Name => Standardise.Name(raw),
        ColumnType.Text or ColumnType.Category => Standardise.Text(raw),
        ColumnType.Date => Standardise.Date(raw)?.Digits,
        ColumnType.NhsNumber when validOnly => NhsNumber.Check(raw).Normalised,
        ColumnType.Nino when validOnly => NationalInsuranceNumber.Check(raw).Normalised?.Replace(" ", string.Empty, StringComparison.Ordinal),
        _ => Standardise.Compact(raw),
    };

    /// <summary>Applies a field transform (first_token, metaphone, year, outward, prefix3, …) to a standardised value.</summary>
    public static string? Transform(string? value, ColumnType type, string? transform)
    {
        if (value is null || transform is null)
        {
            return value;
        }

        string? result = transform switch
        {
            "first_token" => Standardise.FirstToken(value),
            "last_token" => Standardise.LastToken(value),
            "metaphone" => Metaphone.Encode(value),
            "year" => type == ColumnType.Date && value.Length >= 4 ? value[..4] : null,
            "outward" => Postcode.IsValid(value) ? Postcode.Outward(value) : null,
            "sector" => Postcode.IsValid(value) ? Postcode.Sector(value) : null,
            "prefix1" => value[..1],
            "prefix2" => value.Length >= 2 ? value[..2] : value,
            "prefix3" => value.Length >= 3 ? value[..3] : value,
            "prefix4" => value.Length >= 4 ? value[..4] : value,
            _ => throw new LinkageInputException($"'{transform}' is not a field transform."),
        };
        return string.IsNullOrEmpty(result) ? null : result;
    }
}

/// <summary>
/// Encoded fields shared between auto-configuration and the engine, so each column is standardised once.
/// Plain fields are built from the raw values (columns in parallel); transformed fields are derived from
/// them value by value.
/// </summary>
public sealed class FieldStore
{
    private readonly LinkageTable _left;
    private readonly LinkageTable? _right;
    private readonly Dictionary<string, EncodedField> _fields = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BlockIndex> _blocks = new(StringComparer.Ordinal);

    public FieldStore(LinkageTable left, LinkageTable? right)
    {
        _left = left ?? throw new ArgumentNullException(nameof(left));
        _right = right;
    }

    public int Count => _left.Count + (_right?.Count ?? 0);

    /// <summary>Builds the plain fields of these (column, type, valid-only) triples, in parallel.</summary>
    public void Prefetch(IEnumerable<(string Column, ColumnType Type, bool ValidOnly)> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        List<(string Column, ColumnType Type, bool ValidOnly)> missing;
        lock (_fields)
        {
            missing = [.. fields.Distinct().Where(f => !_fields.ContainsKey(Key(f.Column, f.Type, f.ValidOnly, null)))];
        }

        var built = new EncodedField[missing.Count];
        Parallel.For(0, missing.Count, i => built[i] = BuildPlain(missing[i].Column, missing[i].Type, missing[i].ValidOnly));
        lock (_fields)
        {
            for (var i = 0; i < missing.Count; i++)
            {
                _fields[Key(missing[i].Column, missing[i].Type, missing[i].ValidOnly, null)] = built[i];
            }
        }
    }

    /// <summary>The field for a column of a type, optionally transformed; built on first use.</summary>
    public EncodedField Get(string column, ColumnType type, string? transform, bool validOnly = false)
    {
        var key = Key(column, type, validOnly, transform);
        lock (_fields)
        {
            if (_fields.TryGetValue(key, out var found))
            {
                return found;
            }
        }

        EncodedField field;
        if (transform is null)
        {
            field = BuildPlain(column, type, validOnly);
        }
        else
        {
            // Transforms chain left to right: "first_token:metaphone" is the metaphone of the first word.
            var last = transform.LastIndexOf(':');
            var inner = last < 0 ? null : transform[..last];
            var outer = last < 0 ? transform : transform[(last + 1)..];
            if (!FieldRef.Transforms.Contains(outer))
            {
                throw new LinkageInputException($"'{outer}' is not a field transform.");
            }

            field = Get(column, type, inner, validOnly).Derive(v => EncodedField.Transform(v, type, outer));
        }

        lock (_fields)
        {
            _fields[key] = field;
        }

        return field;
    }

    /// <summary>The block index of a rule over these fields, built once and shared.</summary>
    public BlockIndex Block(string ruleKey, Func<IReadOnlyList<EncodedField>> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        lock (_blocks)
        {
            if (_blocks.TryGetValue(ruleKey, out var found))
            {
                return found;
            }
        }

        var built = BlockIndex.Build(parts(), Count);
        lock (_blocks)
        {
            _blocks[ruleKey] = built;
        }

        return built;
    }

    private EncodedField BuildPlain(string column, ColumnType type, bool validOnly)
    {
        foreach (var table in new[] { _left, _right })
        {
            if (table is not null && !table.HasColumn(column))
            {
                throw new LinkageInputException($"{table.Name}: there is no column '{column}', which the configuration uses.");
            }
        }

        var left = _left.Column(column);
        var right = _right?.Column(column);
        var n = _left.Count;
        string? Raw(int r) => r < n ? left[r] : right![r - n];
        return EncodedField.Build(Raw, Count, type, null, PlainEncoder.Instance, validOnly);
    }

    private static string Key(string column, ColumnType type, bool validOnly, string? transform) =>
        $"{column}|{type}|{validOnly}|{transform}";
}
