namespace Hearth.Core.Synthetic;

/// <summary>Items with weights, sampled in proportion to weight by binary search over cumulative sums.</summary>
public sealed class WeightedTable<T>
{
    private readonly T[] _items;
    private readonly double[] _cumulative;

    public WeightedTable(IEnumerable<(T Item, double Weight)> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var items = new List<T>();
        var cumulative = new List<double>();
        var total = 0.0;
        foreach (var (item, weight) in entries)
        {
            if (weight <= 0)
            {
                continue;
            }

            total += weight;
            items.Add(item);
            cumulative.Add(total);
        }

        if (items.Count == 0)
        {
            throw new ArgumentException("A weighted table needs at least one item with positive weight.", nameof(entries));
        }

        _items = [.. items];
        _cumulative = [.. cumulative];
    }

    public int Count => _items.Length;

    public double TotalWeight => _cumulative[^1];

    public T Sample(SyntheticRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var target = random.NextDouble() * _cumulative[^1];
        var index = Array.BinarySearch(_cumulative, target);
        index = index < 0 ? ~index : index + 1;
        return _items[Math.Min(index, _items.Length - 1)];
    }
}
