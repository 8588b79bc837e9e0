using Hearth.Core.Linkage;

namespace Hearth.Core.Tests.Linkage;

public sealed class LinkageTableTests
{
    [Fact]
    public void ReadCsv_QuotedFieldsAndSpacesAfterCommas_AreRead()
    {
        const string Csv = "id, name, address\n1, \"Smith, Ann\", \"1 \"\"Rose\"\" Cottage\"\n2, Bob,\n3,\"multi\nline\", x\n";
        var table = LinkageTable.ReadCsv(new StringReader(Csv), "t.csv", "id");
        Assert.Equal(["1", "2", "3"], table.Ids);
        Assert.Equal(["name", "address"], table.ColumnNames);
        Assert.Equal("Smith, Ann", table.Column("name")[0]);
        Assert.Equal("1 \"Rose\" Cottage", table.Column("address")[0]);
        Assert.Null(table.Column("address")[1]);
        Assert.Equal("multi\nline", table.Column("name")[2]);
    }

    [Fact]
    public void ReadCsv_RepeatedId_NamesBothLines()
    {
        var e = Assert.Throws<LinkageInputException>(() =>
            LinkageTable.ReadCsv(new StringReader("id,name\na,x\nb,y\na,z\n"), "t.csv", "id"));
        Assert.Equal("t.csv, line 4: id 'a' was already used on line 2; ids must be unique.", e.Message);
    }

    [Fact]
    public void ReadCsv_EmptyId_NamesTheLine()
    {
        var e = Assert.Throws<LinkageInputException>(() =>
            LinkageTable.ReadCsv(new StringReader("id,name\na,x\n,y\n"), "t.csv", "id"));
        Assert.Equal("t.csv, line 3: the id column 'id' is empty.", e.Message);
    }

    [Fact]
    public void ReadCsv_EmptyFile_SaysSo()
    {
        var e = Assert.Throws<LinkageInputException>(() => LinkageTable.ReadCsv(new StringReader(string.Empty), "t.csv", "id"));
        Assert.Contains("empty", e.Message, StringComparison.Ordinal);
    }
}
