using Hearth.Core.Identifiers;

namespace Hearth.Core.Linkage;

/// <summary>
/// A comparison ready to run: the field's interned values and, per distinct value, everything the levels
/// need (phonetic keys, variant-table numbers, date parts, postcode sectors) computed once up front, so
/// comparing a pair touches only arrays.
/// </summary>
public sealed class ComparisonRuntime
{
    private readonly LevelSpec[] _levels;
    private readonly LevelKind[] _kinds;
    private readonly double[] _arguments;
    private int[] _ids;
    private int _stride = 1;
    private int _offset;
    private readonly string[] _values;
    private readonly int[]? _phonetic;
    private readonly int[]?[] _variantIndex;
    private readonly NameVariants?[] _variantTables;
    private readonly int[]? _year;
    private readonly int[]? _month;
    private readonly int[]? _day;
    private readonly int[]? _dayNumber;
    private readonly int[]? _sector;
    private readonly int[]? _outward;
    private readonly int[]? _firstToken;

    public ComparisonRuntime(ComparisonSettings settings, ColumnType type, EncodedField field, IFieldEncoder encoder)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(field);
        ArgumentNullException.ThrowIfNull(encoder);
        Settings = settings;
        Field = field;
        _levels = [.. settings.Levels];
        _kinds = [.. _levels.Select(l => l.Kind)];
        _arguments = [.. _levels.Select(l => l.Argument)];
        _ids = field.Ids;
        _values = field.Values;
        _variantIndex = new int[]?[_levels.Length];
        _variantTables = new NameVariants?[_levels.Length];
        var n = field.Values.Length;
        // Caching by value pair pays when values repeat (names, towns), not for near-unique ones (addresses).
        Cacheable = _levels.Any(l => l.Kind is LevelKind.JaroWinkler or LevelKind.DamerauLevenshtein or LevelKind.Transposed or LevelKind.Variant)
            && field.DistinctCount * 5L < field.NonMissing;
        ExactLevel = Array.FindIndex(_levels, l => l.Kind == LevelKind.Exact);
        for (var l = 0; l < _levels.Length; l++)
        {
            var level = _levels[l];
            if (level.Kind is not (LevelKind.Exact) && !encoder.PreservesText)
            {
                throw new LinkageInputException($"comparison '{settings.Name}': level '{level}' needs the values' text, which the {encoder.Name} encoding hides; use exact levels only.");
            }

            switch (level.Kind)
            {
                case LevelKind.Metaphone:
                    _phonetic ??= Intern(n, i => Metaphone.Encode(_values[i]));
                    break;
                case LevelKind.Variant:
                    var table = NameVariants.ByName(level.Table ?? string.Empty)
                        ?? throw new LinkageInputException($"comparison '{settings.Name}': unknown variant table '{level.Table}'.");
                    _variantTables[l] = table;
                    var idx = new int[n];
                    for (var i = 0; i < n; i++)
                    {
                        idx[i] = i == 0 ? -1 : table.IndexOf(_values[i]);
                    }

                    _variantIndex[l] = idx;
                    break;
                case LevelKind.SwappedDayMonth or LevelKind.WithinYears:
                    if (type != ColumnType.Date)
                    {
                        throw new LinkageInputException($"comparison '{settings.Name}': level '{level}' needs a date column.");
                    }

                    if (_year is null)
                    {
                        _year = new int[n];
                        _month = new int[n];
                        _day = new int[n];
                        _dayNumber = new int[n];
                        for (var i = 1; i < n; i++)
                        {
                            var p = Standardise.Date(_values[i]);
                            if (p is { } d)
                            {
                                (_year[i], _month[i], _day[i], _dayNumber[i]) = (d.Year, d.Month, d.Day, d.DayNumber);
                            }
                            else
                            {
                                _dayNumber[i] = -1;
                            }
                        }
                    }

                    break;
                case LevelKind.Sector:
                    _sector ??= Intern(n, i => Postcode.IsValid(_values[i]) ? Postcode.Sector(_values[i]) : null);
                    break;
                case LevelKind.Outward:
                    _outward ??= Intern(n, i => Postcode.IsValid(_values[i]) ? Postcode.Outward(_values[i]) : null);
                    break;
                case LevelKind.FirstToken:
                    _firstToken ??= Intern(n, i => Standardise.FirstToken(_values[i]));
                    break;
                default:
                    break;
            }
        }
    }

    public ComparisonSettings Settings { get; }

    /// <summary>True when a level needs string arithmetic, so remembering results per value pair pays.</summary>
    public bool Cacheable { get; }

    public EncodedField Field { get; }

    /// <summary>Number of levels including "else".</summary>
    public int LevelCount => _levels.Length + 1;

    /// <summary>
    /// The level of a pair: 0 is the strongest agreement, <see cref="LevelCount"/> − 1 is "else", and −1 means
    /// one of the values is missing (no information).
    /// </summary>
    public int Level(int a, int b)
    {
        var va = _ids[(a * _stride) + _offset];
        var vb = _ids[(b * _stride) + _offset];
        return va == 0 || vb == 0 ? -1 : va <= vb ? LevelOfValues(va, vb) : LevelOfValues(vb, va);
    }

    /// <summary>
    /// The level of two value numbers, always called with the smaller first so that the answer (and what a
    /// cache remembers) never depends on which record came first.
    /// </summary>
    private int LevelOfValues(int va, int vb)
    {
        var jw = -1.0;
        var dl = -1;
        var kinds = _kinds;
        for (var l = 0; l < kinds.Length; l++)
        {
            switch (kinds[l])
            {
                case LevelKind.Exact:
                    if (va == vb)
                    {
                        return l;
                    }

                    break;
                case LevelKind.Variant:
                    var vi = _variantIndex[l]!;
                    if (_variantTables[l]!.AreVariants(vi[va], vi[vb]))
                    {
                        return l;
                    }

                    break;
                case LevelKind.JaroWinkler:
                    if (jw < 0)
                    {
                        jw = va == vb ? 1 : StringMetrics.JaroWinkler(_values[va], _values[vb]);
                    }

                    if (jw >= _arguments[l])
                    {
                        return l;
                    }

                    break;
                case LevelKind.DamerauLevenshtein:
                    if (_arguments[l] == 1)
                    {
                        if (StringMetrics.WithinOneEdit(_values[va], _values[vb]))
                        {
                            return l;
                        }

                        break;
                    }

                    if (Math.Abs(_values[va].Length - _values[vb].Length) > _arguments[l])
                    {
                        break;
                    }

                    if (dl < 0)
                    {
                        dl = va == vb ? 0 : StringMetrics.DamerauLevenshtein(_values[va], _values[vb]);
                    }

                    if (dl <= _arguments[l])
                    {
                        return l;
                    }

                    break;
                case LevelKind.Metaphone:
                    if (_phonetic![va] != 0 && _phonetic[va] == _phonetic[vb])
                    {
                        return l;
                    }

                    break;
                case LevelKind.SwappedDayMonth:
                    if (_year![va] == _year[vb] && _month![va] == _day![vb] && _day[va] == _month[vb] && _month[va] != _day[va])
                    {
                        return l;
                    }

                    break;
                case LevelKind.WithinYears:
                    var da = _dayNumber![va];
                    var db = _dayNumber[vb];
                    if (da >= 0 && db >= 0 && Math.Abs(da - db) <= _arguments[l] * 365.25)
                    {
                        return l;
                    }

                    break;
                case LevelKind.Sector:
                    if (_sector![va] != 0 && _sector[va] == _sector[vb])
                    {
                        return l;
                    }

                    break;
                case LevelKind.Outward:
                    if (_outward![va] != 0 && _outward[va] == _outward[vb])
                    {
                        return l;
                    }

                    break;
                case LevelKind.Transposed:
                    if (StringMetrics.IsAdjacentTransposition(_values[va], _values[vb]))
                    {
                        return l;
                    }

                    break;
                case LevelKind.FirstToken:
                    if (_firstToken![va] != 0 && _firstToken[va] == _firstToken[vb])
                    {
                        return l;
                    }

                    break;
                default:
                    break;
            }
        }

        return kinds.Length;
    }

    /// <summary>
    /// Reads value numbers from a record-major table (all comparisons' values of a record side by side, so one
    /// pair touches two cache lines rather than two per comparison) instead of the field's own column.
    /// </summary>
    internal void BindRows(int[] rows, int stride, int offset)
    {
        _ids = rows;
        _stride = stride;
        _offset = offset;
    }

    /// <summary>The index of the first exact level, or -1 (term-frequency adjustments apply there).</summary>
    public int ExactLevel { get; }

    /// <summary>
    /// <see cref="Level(int, int)"/> through a per-thread cache of value pairs: the level depends only on the
    /// two values, so a pair of values seen before (common names) costs one array probe.
    /// </summary>
    public int Level(int a, int b, LevelCache? cache)
    {
        if (cache is null)
        {
            return Level(a, b);
        }

        var va = _ids[(a * _stride) + _offset];
        var vb = _ids[(b * _stride) + _offset];
        if (va == 0 || vb == 0)
        {
            return -1;
        }

        if (va == vb && ExactLevel == 0)
        {
            return 0;
        }

        var key = va < vb ? ((long)va << 32) | (uint)vb : ((long)vb << 32) | (uint)va;
        var slot = (int)(unchecked((ulong)key * 0x9E3779B97F4A7C15UL) >> (64 - LevelCache.Bits));
        if (cache.Keys[slot] == key)
        {
            return cache.Levels[slot];
        }

        var level = va <= vb ? LevelOfValues(va, vb) : LevelOfValues(vb, va);
        cache.Keys[slot] = key;
        cache.Levels[slot] = (sbyte)level;
        return level;
    }

    private static int[] Intern(int n, Func<int, string?> key)
    {
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new int[n];
        for (var i = 1; i < n; i++)
        {
            var k = key(i);
            if (string.IsNullOrEmpty(k))
            {
                continue;
            }

            if (!map.TryGetValue(k, out var id))
            {
                id = map.Count + 1;
                map[k] = id;
            }

            result[i] = id;
        }

        return result;
    }
}

/// <summary>A direct-mapped cache of comparison levels by value pair, one per thread and comparison.</summary>
public sealed class LevelCache
{
    internal const int Bits = 16;

    internal long[] Keys { get; } = new long[1 << Bits];

    internal sbyte[] Levels { get; } = new sbyte[1 << Bits];
}
