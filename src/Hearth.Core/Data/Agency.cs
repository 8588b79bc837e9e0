namespace Hearth.Core.Data;

/// <summary>
/// An organisation that sends Hearth extracts: a school trust, the police, the council's housing service, a
/// health trust. <see cref="Id"/> is a short stable code chosen by the partnership (e.g. "police"), used in
/// mapping files and on the command line.
/// </summary>
public sealed class Agency
{
    /// <summary>Short code, lower case letters, digits and hyphens (e.g. "police", "school-trust").</summary>
    public required string Id { get; set; }

    /// <summary>Name shown to users (e.g. "Northbridge Police").</summary>
    public required string Name { get; set; }

    /// <summary>When Hearth first saw the agency (UTC).</summary>
    public DateTime CreatedUtc { get; set; }
}
