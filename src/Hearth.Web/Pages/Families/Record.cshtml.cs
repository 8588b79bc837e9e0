using Hearth.Core.CaseWork;

namespace Hearth.Web.Pages.Families;

/// <summary>The family record: members and relationships, addresses, agencies involved, the timeline of agency events and consent.</summary>
public sealed class RecordModel(CaseWorkService service) : CaseWorkPageModel(service)
{
    protected override string ViewAction => "family.view";

    protected override bool ShowsTimeline => true;
}
