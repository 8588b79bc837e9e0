using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Hearth.Core.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class IdentificationAndContracts : Migration
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
                name: "outcome_contracts",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    kind = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    outcome_payer = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    provider = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    investor = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    start = table.Column<DateOnly>(type: "date", nullable: false),
                    committed_capital_pence = table.Column<long>(type: "bigint", nullable: false),
                    outcome_cap_pence = table.Column<long>(type: "bigint", nullable: true),
                    investor_return_cap = table.Column<decimal>(type: "numeric(12,6)", precision: 12, scale: 6, nullable: true),
                    investor_share = table.Column<decimal>(type: "numeric(12,6)", precision: 12, scale: 6, nullable: false),
                    pass_through_provider = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    pass_through_share = table.Column<decimal>(type: "numeric(12,6)", precision: 12, scale: 6, nullable: true),
                    pass_through_rounding = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    rule_notes = table.Column<string>(type: "text", nullable: true),
                    source_file = table.Column<string>(type: "character varying(260)", maxLength: 260, nullable: false),
                    source_sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    created_utc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    created_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outcome_contracts", x => x.id);
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

            migrationBuilder.CreateTable(
                name: "contract_drawdowns",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    contract_id = table.Column<long>(type: "bigint", nullable: false),
                    date = table.Column<DateOnly>(type: "date", nullable: false),
                    amount_pence = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_contract_drawdowns", x => x.id);
                    table.ForeignKey(
                        name: "fk_contract_drawdowns_outcome_contracts_contract_id",
                        column: x => x.contract_id,
                        principalTable: "outcome_contracts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "contract_outcomes",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    contract_id = table.Column<long>(type: "bigint", nullable: false),
                    date = table.Column<DateOnly>(type: "date", nullable: false),
                    metric_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    count = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: false),
                    period = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    evidence = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    recorded_utc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    recorded_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_contract_outcomes", x => x.id);
                    table.ForeignKey(
                        name: "fk_contract_outcomes_outcome_contracts_contract_id",
                        column: x => x.contract_id,
                        principalTable: "outcome_contracts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "contract_rate_cards",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    contract_id = table.Column<long>(type: "bigint", nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false),
                    metric_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    definition = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    price_pence = table.Column<long>(type: "bigint", nullable: false),
                    cap_pence = table.Column<long>(type: "bigint", nullable: true),
                    validation_method = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    data_source = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    price_description = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_contract_rate_cards", x => x.id);
                    table.ForeignKey(
                        name: "fk_contract_rate_cards_outcome_contracts_contract_id",
                        column: x => x.contract_id,
                        principalTable: "outcome_contracts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_contract_drawdowns_contract_id",
                table: "contract_drawdowns",
                column: "contract_id");

            migrationBuilder.CreateIndex(
                name: "ix_contract_outcomes_contract_id_date",
                table: "contract_outcomes",
                columns: new[] { "contract_id", "date" });

            migrationBuilder.CreateIndex(
                name: "ix_contract_rate_cards_contract_id_metric_id",
                table: "contract_rate_cards",
                columns: new[] { "contract_id", "metric_id" },
                unique: true);

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

            migrationBuilder.CreateIndex(
                name: "ix_outcome_contracts_name",
                table: "outcome_contracts",
                column: "name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "contract_drawdowns");

            migrationBuilder.DropTable(
                name: "contract_outcomes");

            migrationBuilder.DropTable(
                name: "contract_rate_cards");

            migrationBuilder.DropTable(
                name: "identification_run_families");

            migrationBuilder.DropTable(
                name: "outcome_contracts");

            migrationBuilder.DropTable(
                name: "identification_runs");
        }
    }
}
