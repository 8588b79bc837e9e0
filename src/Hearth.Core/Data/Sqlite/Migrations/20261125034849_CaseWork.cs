using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hearth.Core.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class CaseWork : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "cases",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    family_id = table.Column<long>(type: "INTEGER", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    team_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    key_worker_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    created_utc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    allocated_utc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    active_from = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    closed_on = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    closure_reason = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    closure_note = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_cases", x => x.id);
                    table.ForeignKey(
                        name: "fk_cases_families_family_id",
                        column: x => x.family_id,
                        principalTable: "families",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "assessments",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    case_id = table.Column<long>(type: "INTEGER", nullable: false),
                    completed_on = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    strengths = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    concerns = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    family_view = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    themes = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    assessed_by = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    recorded_utc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_assessments", x => x.id);
                    table.ForeignKey(
                        name: "fk_assessments_cases_case_id",
                        column: x => x.case_id,
                        principalTable: "cases",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "case_notes",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    case_id = table.Column<long>(type: "INTEGER", nullable: false),
                    person_id = table.Column<long>(type: "INTEGER", nullable: true),
                    text = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    written_by = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    author_agency_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    shared_with_team = table.Column<bool>(type: "INTEGER", nullable: false),
                    written_utc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_case_notes", x => x.id);
                    table.ForeignKey(
                        name: "fk_case_notes_cases_case_id",
                        column: x => x.case_id,
                        principalTable: "cases",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_case_notes_persons_person_id",
                        column: x => x.person_id,
                        principalTable: "persons",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "lead_professionals",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    case_id = table.Column<long>(type: "INTEGER", nullable: false),
                    person_id = table.Column<long>(type: "INTEGER", nullable: false),
                    user_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    agency_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_lead_professionals", x => x.id);
                    table.ForeignKey(
                        name: "fk_lead_professionals_cases_case_id",
                        column: x => x.case_id,
                        principalTable: "cases",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_lead_professionals_persons_person_id",
                        column: x => x.person_id,
                        principalTable: "persons",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "member_consents",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    case_id = table.Column<long>(type: "INTEGER", nullable: false),
                    person_id = table.Column<long>(type: "INTEGER", nullable: false),
                    given_by = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    given_by_person_id = table.Column<long>(type: "INTEGER", nullable: true),
                    given_on = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    agencies = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    rule_explanation = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    recorded_by = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    recorded_utc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    withdrawn_utc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    withdrawn_by = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    withdrawal_note = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_member_consents", x => x.id);
                    table.ForeignKey(
                        name: "fk_member_consents_cases_case_id",
                        column: x => x.case_id,
                        principalTable: "cases",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_member_consents_persons_given_by_person_id",
                        column: x => x.given_by_person_id,
                        principalTable: "persons",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_member_consents_persons_person_id",
                        column: x => x.person_id,
                        principalTable: "persons",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "plans",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    case_id = table.Column<long>(type: "INTEGER", nullable: false),
                    created_utc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    created_by = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    next_review_due = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    updated_utc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_by = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_plans", x => x.id);
                    table.ForeignKey(
                        name: "fk_plans_cases_case_id",
                        column: x => x.case_id,
                        principalTable: "cases",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "team_members",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    case_id = table.Column<long>(type: "INTEGER", nullable: false),
                    user_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    agency_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    role = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    added_utc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    removed_utc = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_team_members", x => x.id);
                    table.ForeignKey(
                        name: "fk_team_members_cases_case_id",
                        column: x => x.case_id,
                        principalTable: "cases",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "plan_needs",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    plan_id = table.Column<long>(type: "INTEGER", nullable: false),
                    theme = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    description = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_plan_needs", x => x.id);
                    table.ForeignKey(
                        name: "fk_plan_needs_plans_plan_id",
                        column: x => x.plan_id,
                        principalTable: "plans",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "plan_reviews",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    plan_id = table.Column<long>(type: "INTEGER", nullable: false),
                    reviewed_on = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    summary = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    next_review_due = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    reviewed_by = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_plan_reviews", x => x.id);
                    table.ForeignKey(
                        name: "fk_plan_reviews_plans_plan_id",
                        column: x => x.plan_id,
                        principalTable: "plans",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "plan_goals",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    need_id = table.Column<long>(type: "INTEGER", nullable: false),
                    description = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    target_date = table.Column<DateOnly>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_plan_goals", x => x.id);
                    table.ForeignKey(
                        name: "fk_plan_goals_plan_needs_need_id",
                        column: x => x.need_id,
                        principalTable: "plan_needs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "plan_actions",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    goal_id = table.Column<long>(type: "INTEGER", nullable: false),
                    plan_id = table.Column<long>(type: "INTEGER", nullable: false),
                    description = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    owner_user_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    agency_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    due_date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    progress_note = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    updated_utc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_by = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_plan_actions", x => x.id);
                    table.ForeignKey(
                        name: "fk_plan_actions_plan_goals_goal_id",
                        column: x => x.goal_id,
                        principalTable: "plan_goals",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_plan_actions_plans_plan_id",
                        column: x => x.plan_id,
                        principalTable: "plans",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_assessments_case_id",
                table: "assessments",
                column: "case_id");

            migrationBuilder.CreateIndex(
                name: "ix_case_notes_case_id",
                table: "case_notes",
                column: "case_id");

            migrationBuilder.CreateIndex(
                name: "ix_case_notes_person_id",
                table: "case_notes",
                column: "person_id");

            migrationBuilder.CreateIndex(
                name: "ix_cases_family_id",
                table: "cases",
                column: "family_id");

            migrationBuilder.CreateIndex(
                name: "ix_cases_key_worker_id",
                table: "cases",
                column: "key_worker_id");

            migrationBuilder.CreateIndex(
                name: "ix_cases_team_id_status",
                table: "cases",
                columns: new[] { "team_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_lead_professionals_case_id_person_id",
                table: "lead_professionals",
                columns: new[] { "case_id", "person_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_lead_professionals_person_id",
                table: "lead_professionals",
                column: "person_id");

            migrationBuilder.CreateIndex(
                name: "ix_member_consents_case_id",
                table: "member_consents",
                column: "case_id");

            migrationBuilder.CreateIndex(
                name: "ix_member_consents_given_by_person_id",
                table: "member_consents",
                column: "given_by_person_id");

            migrationBuilder.CreateIndex(
                name: "ix_member_consents_person_id",
                table: "member_consents",
                column: "person_id");

            migrationBuilder.CreateIndex(
                name: "ix_plan_actions_goal_id",
                table: "plan_actions",
                column: "goal_id");

            migrationBuilder.CreateIndex(
                name: "ix_plan_actions_owner_user_id",
                table: "plan_actions",
                column: "owner_user_id");

            migrationBuilder.CreateIndex(
                name: "ix_plan_actions_plan_id",
                table: "plan_actions",
                column: "plan_id");

            migrationBuilder.CreateIndex(
                name: "ix_plan_goals_need_id",
                table: "plan_goals",
                column: "need_id");

            migrationBuilder.CreateIndex(
                name: "ix_plan_needs_plan_id",
                table: "plan_needs",
                column: "plan_id");

            migrationBuilder.CreateIndex(
                name: "ix_plan_reviews_plan_id",
                table: "plan_reviews",
                column: "plan_id");

            migrationBuilder.CreateIndex(
                name: "ix_plans_case_id",
                table: "plans",
                column: "case_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_team_members_case_id",
                table: "team_members",
                column: "case_id");

            migrationBuilder.CreateIndex(
                name: "ix_team_members_user_id",
                table: "team_members",
                column: "user_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "assessments");

            migrationBuilder.DropTable(
                name: "case_notes");

            migrationBuilder.DropTable(
                name: "lead_professionals");

            migrationBuilder.DropTable(
                name: "member_consents");

            migrationBuilder.DropTable(
                name: "plan_actions");

            migrationBuilder.DropTable(
                name: "plan_reviews");

            migrationBuilder.DropTable(
                name: "team_members");

            migrationBuilder.DropTable(
                name: "plan_goals");

            migrationBuilder.DropTable(
                name: "plan_needs");

            migrationBuilder.DropTable(
                name: "plans");

            migrationBuilder.DropTable(
                name: "cases");
        }
    }
}
