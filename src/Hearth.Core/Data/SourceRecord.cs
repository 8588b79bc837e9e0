namespace Hearth.Core.Data;

/// <summary>
/// A person as one agency sees them: the agency's own record id and the details it holds. There is one row
/// per distinct set of details per agency record id, so when an agency's record changes address a second
/// source record appears; record linkage later decides which source records are the same person. Values
/// are stored normalised (identifiers validated, postcodes upper case with one space) or null when absent
/// or dropped as invalid.
/// </summary>
public sealed class SourceRecord
{
    public long Id { get; set; }

    public required string AgencyId { get; set; }

    /// <summary>The dataset whose row first carried these details (provenance).</summary>
    public long DatasetId { get; set; }

    /// <summary>Row number (line of the file, header is line 1) that first carried these details.</summary>
    public int RowNumber { get; set; }

    /// <summary>The agency's own id for the person (case reference, pupil id, tenancy person id).</summary>
    public required string AgencyRecordId { get; set; }

    public string? GivenName { get; set; }

    public string? FamilyName { get; set; }

    /// <summary>Middle names and aliases as the agency holds them.</summary>
    public string? OtherNames { get; set; }

    public DateOnly? DateOfBirth { get; set; }

    /// <summary>Hearth sex code: "female", "male", "other" or "unknown".</summary>
    public string? Sex { get; set; }

    /// <summary>Address lines as one text, excluding the postcode.</summary>
    public string? Address { get; set; }

    /// <summary>Postcode, upper case with one space before the inward code.</summary>
    public string? Postcode { get; set; }

    /// <summary>Unique Property Reference Number without leading zeros.</summary>
    public string? Uprn { get; set; }

    /// <summary>NHS number as ten digits.</summary>
    public string? NhsNumber { get; set; }

    /// <summary>National Insurance number, upper case without spaces.</summary>
    public string? Nino { get; set; }

    /// <summary>Unique Pupil Number, 13 characters upper case.</summary>
    public string? Upn { get; set; }

    /// <summary>
    /// First 16 bytes of SHA-256 over the agency record id and the normalised details above; unique per
    /// agency, so the same details are stored once.
    /// </summary>
    public required byte[] DetailsHash { get; set; }
}
