/**
 * A small Flink SQL syntax tree: what pipec generates, nothing more. Built by lower.ts from the plan and
 * printed by print.ts, the one place that turns SQL into text (quoting, escaping, precedence, layout).
 * No other module concatenates SQL.
 */

// ── statements ────────────────────────────────────────────────────────────────────────────────────

export type SqlStatement = SetStatement | AddJar | CreateTable | CreateTableLike | DropTable | CreateView | CreateFunction | AlterTable | StatementSet | CompilePlan | ExecutePlan | Comment;

/** A statement sent on its own (to the SQL Gateway): anything but a comment. */
export type ExecutableStatement = Exclude<SqlStatement, Comment>;

/** `SET 'key' = 'value';` */
export interface SetStatement {
  readonly kind: 'set';
  readonly key: string;
  readonly value: string;
}

/** `ADD JAR '<location>'`: loads a jar into the session (the deployer's, for the pipec runtime). */
export interface AddJar {
  readonly kind: 'add-jar';
  readonly location: string;
}

/** A `-- …` line (or several), for the reader of the generated file. */
export interface Comment {
  readonly kind: 'comment';
  readonly lines: readonly string[];
}

export interface CreateTable {
  readonly kind: 'create-table';
  readonly temporary: boolean;
  readonly name: string;
  readonly columns: readonly TableColumn[];
  readonly watermark: { readonly column: string; readonly expression: SqlExpr } | undefined;
  readonly primaryKey: readonly string[];
  /** Connector options; printed sorted by key, so output is stable. */
  readonly options: Readonly<Record<string, string>>;
}

/** `CREATE TEMPORARY TABLE name WITH (…) LIKE source`: a copy of a table with options added or replaced. */
export interface CreateTableLike {
  readonly kind: 'create-table-like';
  readonly name: string;
  readonly like: string;
  /** Printed sorted by key; the source's other options are kept. */
  readonly options: Readonly<Record<string, string>>;
}

/** `DROP TEMPORARY TABLE name` */
export interface DropTable {
  readonly kind: 'drop-table';
  readonly name: string;
}

export type TableColumn =
  | { readonly kind: 'physical'; readonly name: string; readonly type: SqlTypeText }
  /** `name TYPE METADATA FROM 'key' [VIRTUAL]` */
  | { readonly kind: 'metadata'; readonly name: string; readonly type: SqlTypeText; readonly key: string; readonly virtual: boolean }
  /** `name AS expression` */
  | { readonly kind: 'computed'; readonly name: string; readonly expression: SqlExpr };

/** A type already spelled in Flink SQL (`DECIMAL(12, 2) NOT NULL`), from compiler/types formatType. */
export type SqlTypeText = string;

/** `CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS name AS 'class' LANGUAGE JAVA` (a class of a jar on the class path). */
export interface CreateFunction {
  readonly kind: 'create-function';
  readonly name: string;
  readonly className: string;
}

export interface CreateView {
  readonly kind: 'create-view';
  readonly temporary: boolean;
  readonly name: string;
  readonly query: SqlQuery;
}

/**
 * `ALTER TABLE t ADD (column)`, `… ADD PRIMARY KEY (…) NOT ENFORCED`, `… MODIFY WATERMARK FOR c AS e`,
 * `… SET ('k' = 'v')`: the changes Confluent Cloud's ALTER TABLE takes on a topic's table (its tables are the
 * cluster's topics, never CREATE TABLE'd).
 */
export interface AlterTable {
  readonly kind: 'alter-table';
  readonly name: string;
  readonly change:
    | { readonly kind: 'add-column'; readonly column: TableColumn }
    | { readonly kind: 'add-primary-key'; readonly columns: readonly string[] }
    | { readonly kind: 'modify-watermark'; readonly column: string; readonly expression: SqlExpr }
    | { readonly kind: 'set-options'; readonly options: Readonly<Record<string, string>> };
}

export interface Insert {
  readonly kind: 'insert';
  readonly table: string;
  readonly columns: readonly string[];
  readonly query: SqlQuery;
}

/** `EXECUTE STATEMENT SET BEGIN INSERT …; … END;` — all sinks of a pipeline in one job. */
export interface StatementSet {
  readonly kind: 'statement-set';
  readonly inserts: readonly Insert[];
}

/** `COMPILE PLAN '<path>' [IF NOT EXISTS] FOR STATEMENT SET BEGIN … END;` */
export interface CompilePlan {
  readonly kind: 'compile-plan';
  readonly path: string;
  readonly ifNotExists: boolean;
  readonly inserts: readonly Insert[];
}

/** `EXECUTE PLAN '<path>'`: starts the job a `COMPILE PLAN` wrote (what the deployer runs). */
export interface ExecutePlan {
  readonly kind: 'execute-plan';
  readonly path: string;
}

// ── queries ───────────────────────────────────────────────────────────────────────────────────────

export type SqlQuery = Select | UnionAll | WithQuery;

export interface Select {
  readonly kind: 'select';
  readonly distinct: boolean;
  readonly items: readonly SelectItem[];
  readonly from: FromItem;
  readonly where: SqlExpr | undefined;
  readonly groupBy: readonly SqlExpr[];
  readonly having: SqlExpr | undefined;
}

export type SelectItem =
  | { readonly kind: 'star'; readonly qualifier: string | undefined }
  | { readonly kind: 'expr'; readonly expression: SqlExpr; readonly alias: string | undefined };

export interface UnionAll {
  readonly kind: 'union-all';
  readonly inputs: readonly SqlQuery[];
}

/** `WITH a AS (…), b AS (…) <body>`: views inlined into one statement, where no CREATE VIEW can precede it. */
export interface WithQuery {
  readonly kind: 'with';
  readonly items: readonly { readonly name: string; readonly query: SqlQuery }[];
  readonly body: SqlQuery;
}

export type FromItem =
  | { readonly kind: 'table'; readonly name: string; readonly alias: string | undefined }
  | { readonly kind: 'subquery'; readonly query: SqlQuery; readonly alias: string }
  /** `TABLE(TUMBLE(TABLE t, DESCRIPTOR(col), INTERVAL …))` and friends; `args` follow the descriptor. */
  | {
      readonly kind: 'window-tvf';
      readonly function: 'TUMBLE' | 'HOP' | 'CUMULATE' | 'SESSION';
      readonly input: FromItem;
      /** SESSION's keys: `TABLE t PARTITION BY k`. */
      readonly partitionBy: readonly string[];
      readonly timeColumn: string;
      readonly args: readonly SqlExpr[];
      readonly alias: string | undefined;
    }
  | {
      readonly kind: 'join';
      readonly joinType: 'INNER' | 'LEFT' | 'CROSS';
      readonly left: FromItem;
      readonly right: FromItem;
      /** `FOR SYSTEM_TIME AS OF <expr>` on the right table. */
      readonly asOf: SqlExpr | undefined;
      readonly on: SqlExpr | undefined;
    }
  /** `UNNEST(expr) AS alias (c1, c2)`, joined with CROSS JOIN. */
  | { readonly kind: 'unnest'; readonly expression: SqlExpr; readonly alias: string; readonly columns: readonly string[] };

// ── expressions ───────────────────────────────────────────────────────────────────────────────────

export type SqlExpr =
  /** A column, optionally qualified: `p`.`amount`. */
  | { readonly kind: 'column'; readonly qualifier: string | undefined; readonly name: string }
  /** A field of a ROW value: `expr`.`field`. */
  | { readonly kind: 'field'; readonly target: SqlExpr; readonly field: string }
  | { readonly kind: 'index'; readonly target: SqlExpr; readonly index: SqlExpr }
  | { readonly kind: 'string'; readonly value: string }
  /** Numeric literal text as written (`12.50`, `-3`, `1e3`). */
  | { readonly kind: 'number'; readonly text: string }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'null' }
  /** `INTERVAL '5' MINUTE`, `INTERVAL '1 12' DAY TO HOUR` */
  | { readonly kind: 'interval'; readonly value: string; readonly unit: string; readonly toUnit: string | undefined }
  /** `TIMESTAMP '2026-01-01 00:00:00'`, `DATE '…'`, `TIME '…'`, `TIMESTAMP_LTZ '…'` */
  | { readonly kind: 'typed-literal'; readonly type: string; readonly value: string }
  /** `FN(args)`, `COUNT(*)`, `COUNT(DISTINCT x)`; `name` is a Flink function name, printed as is. */
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly SqlExpr[]; readonly distinct: boolean; readonly star: boolean }
  /** `ROW_NUMBER() OVER (PARTITION BY … ORDER BY …)` */
  | { readonly kind: 'over'; readonly call: SqlExpr; readonly partitionBy: readonly SqlExpr[]; readonly orderBy: readonly { readonly expression: SqlExpr; readonly descending: boolean }[] }
  | { readonly kind: 'binary'; readonly operator: SqlBinaryOperator; readonly left: SqlExpr; readonly right: SqlExpr }
  | { readonly kind: 'unary'; readonly operator: 'NOT' | '-' | '+'; readonly operand: SqlExpr }
  | { readonly kind: 'is-null'; readonly operand: SqlExpr; readonly negated: boolean }
  | { readonly kind: 'in'; readonly operand: SqlExpr; readonly list: readonly SqlExpr[]; readonly negated: boolean }
  | { readonly kind: 'between'; readonly operand: SqlExpr; readonly low: SqlExpr; readonly high: SqlExpr; readonly negated: boolean }
  | { readonly kind: 'like'; readonly operand: SqlExpr; readonly pattern: SqlExpr; readonly negated: boolean }
  | { readonly kind: 'case'; readonly operand: SqlExpr | undefined; readonly whens: readonly { readonly when: SqlExpr; readonly then: SqlExpr }[]; readonly else: SqlExpr | undefined }
  | { readonly kind: 'cast'; readonly operand: SqlExpr; readonly type: SqlTypeText; readonly safe: boolean }
  /** `MAP[k1, v1, k2, v2]`, the map value constructor. */
  | { readonly kind: 'map'; readonly entries: readonly (readonly [SqlExpr, SqlExpr])[] }
  /** `DESCRIPTOR(col)` inside window table functions. */
  | { readonly kind: 'descriptor'; readonly column: string }
  /** A bare keyword: niladic functions (`CURRENT_TIMESTAMP`) and time units (`TIMESTAMPDIFF(DAY, …)`). */
  | { readonly kind: 'keyword'; readonly word: string };

/** `%` is lowered to MOD(a, b), which every Flink version and SQL conformance accepts. */
export type SqlBinaryOperator = 'OR' | 'AND' | '=' | '<>' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '||';
