// Checks a progress file chosen on the home page's 导入进度 (practice.js, which loads this module on
// the first import only) before anything is written: the whole file, refused at its first problem
// with the reason in Chinese. Returns { progress, review } to merge into what is stored.
// Files: { site, version, exported, progress: { id: "known" | "review" }, review: { id: ts-fsrs card } };
// version 1 files have no review schedule.
const ID = /^[a-z0-9-]+$/;
const isObject = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
const isCount = (v) => Number.isInteger(v) && v >= 0;
const isNumber = (v) => typeof v === "number" && isFinite(v) && v >= 0;
const isDate = (v) => typeof v === "string" && !isNaN(Date.parse(v));
const CARD = {  // the fields of a ts-fsrs Card, as review.js stores them
  due: [isDate, "复习日期"], stability: [isNumber, "稳定性"], difficulty: [isNumber, "难度"],
  elapsed_days: [isCount, "间隔天数"], scheduled_days: [isCount, "计划天数"], learning_steps: [isCount, "学习步"],
  reps: [isCount, "复习次数"], lapses: [isCount, "遗忘次数"], state: [(v) => [0, 1, 2, 3].includes(v), "状态"],
};

export function checkImport(data, { site, version, states }) {
  if (!isObject(data) || data.site !== site) throw new Error("不是本站导出的文件");
  if (!Number.isInteger(data.version) || data.version < 1) throw new Error("不是本站导出的文件（版本号无效）");
  if (data.version > version) {
    throw new Error(`版本过新（文件是第 ${data.version} 版，本页只认到第 ${version} 版），请刷新页面后再导入`);
  }
  const marks = data.progress === undefined ? {} : data.progress;
  const cards = data.version < 2 || data.review === undefined ? {} : data.review;
  if (!isObject(marks) || !isObject(cards)) throw new Error("文件结构不对，不是本站导出的文件");
  Object.entries(marks).forEach(([id, state], n) => {
    if (!ID.test(id)) throw new Error(`第 ${n + 1} 条进度记录的题目 id 无效`);
    if (!Object.hasOwn(states, state)) throw new Error(`第 ${n + 1} 条进度记录的状态无效`);
  });
  Object.entries(cards).forEach(([id, card], n) => {
    const where = `第 ${n + 1} 条复习记录`;
    if (!ID.test(id) || !isObject(card)) throw new Error(where + "无效");
    for (const [field, [valid, name]] of Object.entries(CARD)) {
      if (!valid(card[field])) throw new Error(where + "的" + name + "无效");
    }
    if (card.last_review !== undefined && !isDate(card.last_review)) throw new Error(where + "的上次复习日期无效");
  });
  return { progress: marks, review: cards };
}
