using System.Buffers;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Unicode;
using System.Xml;

namespace Hearth.Core.Intake;

/// <summary>What one pass over a file's bytes tells Hearth before any row is read.</summary>
/// <param name="Sha256">Lower-case hex SHA-256 of the bytes.</param>
/// <param name="Bytes">File length.</param>
/// <param name="Problem">Why the file cannot be read at all (wrong encoding, not a workbook), or null.</param>
/// <param name="EndsWithLineBreak">True when the last byte is a line feed or carriage return.</param>
public sealed record FileFacts(string Sha256, long Bytes, string? Problem, bool EndsWithLineBreak);

/// <summary>
/// Hashes a file and checks its encoding in one streaming pass: invalid UTF-8 is reported with the line it
/// is on and a hint when the bytes look like Windows-1252; UTF-16 files and binary files are named as such;
/// xlsx files are checked to be real, modestly sized ZIP packages before any XML is parsed.
/// </summary>
public static class FileInspection
{
    /// <summary>Largest total uncompressed size accepted for an xlsx package (2 GiB).</summary>
    public const long MaxXlsxUncompressedBytes = 2L * 1024 * 1024 * 1024;

    /// <summary>Most entries accepted in an xlsx package.</summary>
    public const int MaxXlsxEntries = 10_000;

    public static FileFacts Inspect(string path, ExtractMapping mapping)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        var chars = ArrayPool<char>.Shared.Rent(1 << 20);
        try
        {
            var checkUtf8 = mapping.Format == ExtractFormat.Csv && mapping.Encoding == ExtractEncoding.Utf8;
            var checkText = mapping.Format == ExtractFormat.Csv;
            string? problem = null;
            long total = 0;
            long line = 1;
            var carry = 0;
            byte last = 0;
            var first = true;
            int read;
            while ((read = stream.Read(buffer, carry, (1 << 20) - carry)) > 0 || carry > 0)
            {
                hash.AppendData(buffer, carry, read);
                var available = carry + read;
                var final = read == 0;
                var span = buffer.AsSpan(0, available);
                if (first && available > 0)
                {
                    first = false;
                    problem = FirstBytesProblem(span, mapping);
                    checkUtf8 &= problem is null;
                    checkText &= problem is null;
                }

                if (read > 0)
                {
                    last = buffer[available - 1];
                }

                total += read;
                var consumed = available;
                if (checkText && span.Contains((byte)0))
                {
                    problem = "the file contains NUL bytes, so it is not a text (CSV) file; if it is an Excel workbook, set 'format: xlsx' in the mapping";
                    checkText = checkUtf8 = false;
                }

                if (checkUtf8)
                {
                    var status = Utf8.ToUtf16(span, chars.AsSpan(0, 1 << 20), out var bytesRead, out _, replaceInvalidSequences: false, isFinalBlock: final);
                    if (status == OperationStatus.InvalidData)
                    {
                        var badLine = line + span[..bytesRead].Count((byte)'\n');
                        problem = string.Create(CultureInfo.InvariantCulture,
                            $"the file is not valid UTF-8: line {badLine} has byte 0x{span[bytesRead]:X2}, which UTF-8 does not allow. ") +
                            (span[bytesRead] >= 0x80
                                ? "The file looks like Windows-1252 (what Excel on Windows saves as 'CSV'): add 'encoding: windows-1252' to the mapping, or save the file as 'CSV UTF-8'."
                                : "Save the file as 'CSV UTF-8'.");
                        checkUtf8 = false;
                    }
                    else if (status == OperationStatus.NeedMoreData && !final)
                    {
                        consumed = bytesRead;
                    }
                }

                line += span[..consumed].Count((byte)'\n');
                carry = available - consumed;
                if (carry > 0)
                {
                    buffer.AsSpan(consumed, carry).CopyTo(buffer);
                }

                if (final)
                {
                    break;
                }
            }

            if (mapping.Format == ExtractFormat.Xlsx && problem is null)
            {
                stream.Position = 0;
                problem = XlsxPackageProblem(stream);
            }

            if (total == 0)
            {
                problem = "the file is empty";
            }

            return new FileFacts(Convert.ToHexStringLower(hash.GetHashAndReset()), total, problem, last is (byte)'\n' or (byte)'\r');
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    private static string? FirstBytesProblem(ReadOnlySpan<byte> start, ExtractMapping mapping)
    {
        var isZip = start.StartsWith("PK\x03\x04"u8);
        if (mapping.Format == ExtractFormat.Xlsx)
        {
            return isZip ? null : "the mapping says 'format: xlsx' but the file is not an Excel workbook (.xlsx files are ZIP packages); if it is a CSV file, set 'format: csv'";
        }

        if (isZip)
        {
            return "the file is a ZIP package (probably an Excel .xlsx workbook), not CSV text: set 'format: xlsx' in the mapping or save the sheet as CSV";
        }

        if (start.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || start.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return "the file is UTF-16 ('Unicode text'); Hearth reads UTF-8 or Windows-1252: save it as 'CSV UTF-8'";
        }

        if (mapping.Encoding == ExtractEncoding.Windows1252 && start.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return "the file starts with a UTF-8 byte order mark but the mapping says 'encoding: windows-1252': remove the encoding line (UTF-8 is the default)";
        }

        return null;
    }

    /// <summary>
    /// Checks an xlsx package before any of it is unpacked for reading: how many parts it has, how big they
    /// say they unpack to in total and each compared with its compressed size (a zip bomb unpacks a small file
    /// into gigabytes), that it has the parts of an Excel workbook, and that no XML part declares a document
    /// type (DTDs can define entities that expand without limit or read other files). Null when it is fine.
    /// </summary>
    internal static string? XlsxPackageProblem(Stream stream, long maxUncompressedBytes = MaxXlsxUncompressedBytes, int maxEntries = MaxXlsxEntries)
    {
        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            if (zip.Entries.Count > maxEntries)
            {
                return string.Create(CultureInfo.InvariantCulture, $"the workbook has {zip.Entries.Count} parts, more than the {maxEntries} Hearth accepts");
            }

            long total = 0;
            foreach (var entry in zip.Entries)
            {
                total += entry.Length;
                if (total > maxUncompressedBytes)
                {
                    return string.Create(CultureInfo.InvariantCulture,
                        $"the workbook unpacks to more than {maxUncompressedBytes / (1024 * 1024):N0} MiB, more than Hearth accepts; export the sheet as CSV instead");
                }

                if (entry.Length > MinBytesForRatioCheck && entry.Length / Math.Max(entry.CompressedLength, 1) > MaxCompressionRatio)
                {
                    return string.Create(CultureInfo.InvariantCulture,
                        $"the workbook's part '{entry.FullName}' unpacks to {entry.Length / (1024 * 1024):N0} MiB from {entry.CompressedLength:N0} bytes, more than {MaxCompressionRatio} times its packed size; a real worksheet does not compress that well, so the file was rejected as a possible zip bomb");
                }
            }

            if (zip.GetEntry("[Content_Types].xml") is null || zip.GetEntry("xl/workbook.xml") is null)
            {
                return "the ZIP package is not an Excel workbook (it has no [Content_Types].xml or xl/workbook.xml)";
            }

            foreach (var entry in zip.Entries)
            {
                if (entry.FullName.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) || entry.FullName.EndsWith(".rels", StringComparison.OrdinalIgnoreCase))
                {
                    if (DeclaresDocumentType(entry))
                    {
                        return $"the workbook's part '{entry.FullName}' declares a document type (DTD); Excel never writes one and Hearth does not read XML with DTDs or external entities, so the file was rejected";
                    }
                }
            }

            return null;
        }
        catch (InvalidDataException)
        {
            return "the workbook is damaged: its ZIP structure cannot be read";
        }
        catch (XmlException e)
        {
            return "the workbook is damaged: one of its XML parts cannot be read (" + e.Message + ")";
        }
    }

    /// <summary>Parts of at least this size must unpack to no more than <see cref="MaxCompressionRatio"/> times their packed size.</summary>
    private const long MinBytesForRatioCheck = 1024 * 1024;

    /// <summary>Worksheets compress about 5 to 20 times; 200 is far beyond any real workbook.</summary>
    private const long MaxCompressionRatio = 200;

    /// <summary>Reads a part's prolog (up to its first element) with DTDs prohibited.</summary>
    private static bool DeclaresDocumentType(ZipArchiveEntry entry)
    {
        using var part = entry.Open();
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreWhitespace = true, IgnoreComments = true };
        using var reader = XmlReader.Create(part, settings);
        try
        {
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element)
                {
                    return false;
                }
            }
        }
        catch (XmlException e) when (e.Message.Contains("DTD", StringComparison.Ordinal))
        {
            return true;
        }

        return false;
    }

    /// <summary>The text encoding to read a CSV with.</summary>
    public static Encoding TextEncoding(ExtractEncoding encoding)
    {
        if (encoding == ExtractEncoding.Windows1252)
        {
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            return Encoding.GetEncoding(1252);
        }

        return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    }
}
