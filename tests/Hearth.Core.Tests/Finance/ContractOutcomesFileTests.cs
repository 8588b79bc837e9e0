using Hearth.Core.Finance;
using Hearth.Core.Finance.Contracts;

namespace Hearth.Core.Tests.Finance;

public sealed class ContractOutcomesFileTests
{
    [Fact]
    public void Load_ValidRows_KeepsLineNumbersAndOptionalFields()
    {
        var csv = "date,metric,count,period,evidence\n2024-03-31,m1,12,2023/24 Q4,batch 7\n2024-06-30,m2,0.5,,\n";

        var rows = ContractOutcomesFile.Load(new StringReader(csv), "o.csv");

        Assert.Equal(2, rows.Count);
        Assert.Equal((2, new ValidatedOutcomes(new DateOnly(2024, 3, 31), "m1", 12m, "2023/24 Q4", "batch 7")), rows[0]);
        Assert.Equal((3, new ValidatedOutcomes(new DateOnly(2024, 6, 30), "m2", 0.5m, string.Empty, string.Empty)), rows[1]);
    }

    [Theory]
    [InlineData("date,metric\n2024-03-31,m1\n", 1, "count")]
    [InlineData("date,metric,count\n31/03/2024,m1,1\n", 2, "date")]
    [InlineData("date,metric,count\n2024-03-31,,1\n", 2, "metric")]
    [InlineData("date,metric,count\n2024-03-31,m1,1\n2024-06-30,m1,-2\n", 3, "count")]
    public void Load_BadInput_NamesFileLineAndField(string csv, int line, string field)
    {
        var error = Assert.Throws<FinanceInputException>(() => ContractOutcomesFile.Load(new StringReader(csv), "o.csv"));

        Assert.Equal(("o.csv", line, field), (error.File, error.Line, error.Field));
    }
}
