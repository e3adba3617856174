from django import forms


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Tên gợi nhớ",
        max_length=100,
        error_messages={
            "required": "Nhập tên gợi nhớ của mã truy cập (ví dụ: “Phần mềm tổng hợp”).",
            "max_length": "Tên gợi nhớ dài quá 100 ký tự.",
        },
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
