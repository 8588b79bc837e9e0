namespace Hearth.Core.Finance;

/// <summary>
/// Input to a money engine is wrong: which file, which line (1-based, 0 when not known), which field, and why.
/// Nothing is half-loaded when this is thrown.
/// </summary>
public sealed class FinanceInputException : Exception
{
    public FinanceInputException(string file, int line, string field, string reason)
        : base(Describe(file, line, field, reason))
    {
        File = file;
        Line = line;
        Field = field;
        Reason = reason;
    }

    public FinanceInputException()
        : this(string.Empty, 0, string.Empty, "invalid input")
    {
    }

    public FinanceInputException(string message)
        : this(string.Empty, 0, string.Empty, message)
    {
    }

    public FinanceInputException(string message, Exception innerException)
        : base(message, innerException)
    {
        File = string.Empty;
        Field = string.Empty;
        Reason = message;
    }

    public string File { get; }
    public int Line { get; }
    public string Field { get; }
    public string Reason { get; }

    private static string Describe(string file, int line, string field, string reason)
    {
        var where = string.IsNullOrEmpty(file) ? "input" : file;
        if (line > 0)
        {
            where += FormattableString.Invariant($", line {line}");
        }

        if (!string.IsNullOrEmpty(field))
        {
            where += $", field '{field}'";
        }

        return $"{where}: {reason}";
    }
}
