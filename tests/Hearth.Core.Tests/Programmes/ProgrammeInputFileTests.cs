using Hearth.Core.Programmes;

namespace Hearth.Core.Tests.Programmes;

public sealed class ProgrammeInputFileTests
{
    [Fact]
    public void Parse_ValidFile_ReadsFamiliesMembersAndEvents()
    {
        const string json = """
            {
              "coverage": { "all": { "from": "2015-01-01", "to": "2017-12-31" } },
              "families": [
                { "family_id": "F1", "attachment_date": "2016-01-04", "key_worker": true,
                  "members": [ { "person_id": "P1", "role": "adult", "date_of_birth": "1980-01-01" } ],
                  "events": [ { "person_id": "P1", "type": "offence", "start": "2015-10-01", "outcome": "proven", "dataset": "police", "row": 12 } ] }
              ]
            }
            """;
        var input = ProgrammeInputFile.Parse(json, "in.json");
        Assert.Empty(input.Problems);
        var f = Assert.Single(input.Families);
        Assert.Equal(new SourceReference("police", 12), f.Events.Single().Source);
        Assert.True(f.Family.KeyWorkerPresent);
        Assert.Null(f.Family.AssessmentDone);
    }

    [Fact]
    public void Parse_BadValues_ReportedWithPathAndFamilyLeftOut()
    {
        const string json = """
            {
              "coverage": { "all": { "from": "2015-01-01", "to": "2017-12-31" } },
              "families": [
                { "family_id": "F1", "members": [ { "person_id": "P1", "role": "parent" } ],
                  "events": [ { "person_id": "P1", "type": "burglary", "start": "2015-10-01", "dataset": "police", "row": 1 },
                              { "person_id": "P9", "type": "asb", "start": "2015-13-01", "dataset": "asb", "row": 2 } ] },
                { "family_id": "F2", "members": [ { "person_id": "P2", "role": "adult" } ], "events": [] }
              ]
            }
            """;
        var input = ProgrammeInputFile.Parse(json, "in.json");
        Assert.Equal("F2", Assert.Single(input.Families).Family.FamilyId);
        var text = input.Problems.Select(p => p.ToString()).ToList();
        Assert.Contains("in.json: families[0].members[0].role: 'parent' is not adult, child or expectant_parent", text);
        Assert.Contains(text, t => t.StartsWith("in.json: families[0].events[0].type: unknown event type 'burglary'", StringComparison.Ordinal));
        Assert.Contains(text, t => t.StartsWith("in.json: families[0].events[1].start:", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_AttendanceAbsencesExceedSessions_Rejected()
    {
        const string json = """
            { "coverage": { "all": { "from": "2015-01-01", "to": "2017-12-31" } },
              "families": [ { "family_id": "F1", "members": [ { "person_id": "C", "role": "child" } ],
                "events": [ { "person_id": "C", "type": "attendance", "start": "2016-01-04", "sessions_possible": 100,
                              "unauthorised_absence": 80, "authorised_absence": 30, "dataset": "census", "row": 3 } ] } ] }
            """;
        var input = ProgrammeInputFile.Parse(json, "in.json");
        Assert.Empty(input.Families);
        Assert.Contains("no more than sessions_possible", Assert.Single(input.Problems).Reason, StringComparison.Ordinal);
    }
}
