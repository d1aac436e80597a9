"""The document style profile (fonts, sizes, spacing, margins, sign-off layout) as a validated model."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

A4_WIDTH_MM = 210
A4_HEIGHT_MM = 297
HEADING_LEVELS = (1, 2, 3, 4)


def _font(default: str, description: str):
    return Field(default, min_length=1, description=description)


def _font_size(default: float, description: str):
    # w:sz counts half-points, so any other size could not be written exactly
    return Field(default, gt=0, multiple_of=0.5, description=description)


def _margin(default: float, description: str):
    return Field(default, ge=0, description=description)


class StyleSettings(BaseModel):
    """Typography of the issued document; defaults follow GB/T 9704-2012 (see the style spec)."""

    model_config = ConfigDict(extra="forbid")

    title_font: str = _font("方正小标宋简体", "标题字体（中文名称，写入 w:eastAsia；标题中的数字也用此字体）")
    body_font: str = _font("仿宋_GB2312", "正文字体，也用于三级、四级标题、表格和落款")
    heading1_font: str = _font("黑体", "一级标题（“一、”）字体")
    heading2_font: str = _font("楷体_GB2312", "二级标题（“（一）”）字体")
    latin_font: str = _font("Times New Roman", "数字和西文字体（w:ascii / w:hAnsi / w:cs）")
    footer_font: str = _font("宋体", "页码字体")
    title_size_pt: float = _font_size(22, "标题字号，单位磅（二号 = 22）")
    body_size_pt: float = _font_size(16, "正文及各级标题字号，单位磅（三号 = 16）")
    table_size_pt: float = _font_size(10.5, "表格文字字号，单位磅（五号 = 10.5，小四 = 12）")
    footer_size_pt: float = _font_size(14, "页码字号，单位磅（四号 = 14）")
    line_spacing_pt: float = Field(28.95, gt=0, description="正文固定行距，单位磅（28.95 磅 = 每页 22 行）")
    title_line_spacing_pt: float = Field(35, gt=0, description="标题固定行距，单位磅")
    char_spacing_pt: float = Field(
        -0.25, ge=-5, le=5, description="正文及标题字符间距，单位磅（−0.25 磅 = 每行 28 字）"
    )
    margin_top_mm: float = _margin(37, "上页边距，单位毫米（天头）")
    margin_bottom_mm: float = _margin(35, "下页边距，单位毫米")
    margin_left_mm: float = _margin(28, "左页边距，单位毫米（订口）")
    margin_right_mm: float = _margin(26, "右页边距，单位毫米")
    footer_distance_mm: float = _margin(25, "页脚（页码）距纸张下边缘的距离，单位毫米")
    heading_bold: dict[int, bool] = Field(
        default_factory=lambda: {level: False for level in HEADING_LEVELS},
        description="各级标题是否加粗，键为标题级别 1–4；未列出的级别不加粗",
    )
    table_header_bold: bool = Field(False, description="表头文字是否加粗")
    sign_off_layout: Literal["sealed", "unsealed"] = Field(
        "sealed", description="落款格式：sealed 加盖印章（日期右空四字，署名居中于日期之上），unsealed 不加盖印章"
    )

    @field_validator("heading_bold")
    @classmethod
    def _complete_heading_levels(cls, value: dict[int, bool]) -> dict[int, bool]:
        unknown = sorted(set(value) - set(HEADING_LEVELS))
        if unknown:
            raise ValueError(f"标题级别只能是 1–4，不能是 {unknown}")
        # callers index every level, so a partial table from a profile is completed here
        return {level: value.get(level, False) for level in HEADING_LEVELS}

    @model_validator(mode="after")
    def _check_page_geometry(self) -> StyleSettings:
        if self.margin_left_mm + self.margin_right_mm >= A4_WIDTH_MM:
            raise ValueError("左右页边距之和必须小于纸张宽度 210 毫米")
        if self.margin_top_mm + self.margin_bottom_mm >= A4_HEIGHT_MM:
            raise ValueError("上下页边距之和必须小于纸张高度 297 毫米")
        # a footer reaching into the text block would push the body up in Word and overlap in others
        if self.footer_distance_mm >= self.margin_bottom_mm:
            raise ValueError("页脚距离必须小于下页边距")
        return self
