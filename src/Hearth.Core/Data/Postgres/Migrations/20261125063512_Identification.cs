using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Hearth.Core.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Identification : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "identification_runs",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    framework_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    framework_version = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    framework_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    as_of = table.Column<DateOnly>(type: "date", nullable: false),
                    started_utc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    completed_utc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    run_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    families = table.Column<long>(type: "bigint", nullable: false),
                    eligible = table.Column<long>(type: "bigint", nullable: false),
                    not_eligible = table.Column<long>(type: "bigint", nullable: false),
                    unknown = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_identification_runs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "identification_run_families",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    run_id = table.Column<long>(type: "bigint", nullable: false),
                    family_id = table.Column<long>(type: "bigint", nullable: false),
                    eligible = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    needs_raised = table.Column<int>(type: "integer", nullable: false),
                    headlines_raised = table.Column<int>(type: "integer", nullable: false),
                    headlines = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    reason = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_identification_run_families", x => x.id);
                    table.ForeignKey(
                        name: "fk_identification_run_families_families_family_id",
                        column: x => x.family_id,
                        principalTable: "families",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_identification_run_families_identification_runs_run_id",
                        column: x => x.run_id,
                        principalTable: "identification_runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_identification_run_families_family_id",
                table: "identification_run_families",
                column: "family_id");

            migrationBuilder.CreateIndex(
                name: "ix_identification_run_families_run_id_eligible_family_id",
                table: "identification_run_families",
                columns: new[] { "run_id", "eligible", "family_id" });

            migrationBuilder.CreateIndex(
                name: "ix_identification_runs_framework_id_completed_utc",
                table: "identification_runs",
                columns: new[] { "framework_id", "completed_utc" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "identification_run_families");

            migrationBuilder.DropTable(
                name: "identification_runs");
        }
    }
}
